import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSchema } from '../spec/schema.js';

const base = { apiVersion: 'baton.dev/v1alpha1', kind: 'Upgrade', app: 'work', manifests: ['k8s/'], image: { ref: 'demo/worker:v2' } };
const rainbow = (gc: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  specSchema.safeParse({ ...base, strategy: { kind: 'rainbow', rainbow: { gc } }, ...extra });
const connections = { drain: { connections: { port: 'http', metric: 'demo_open_streams' } } };
const messages = (r: ReturnType<typeof rainbow>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

test('gc without Prometheus is valid when drain.connections is set', () => {
  const r = rainbow({ minAge: '10m' }, connections);
  assert.ok(r.success, messages(r).join('\n'));
  assert.equal(r.data.strategy.rainbow.gc?.prometheusUrl, undefined);
});

test('gc with a Prometheus query alone, or with both sources, is valid', () => {
  assert.ok(rainbow({ prometheusUrl: 'http://127.0.0.1:9090', activeTasksQuery: 'sum(x{release="$release"})' }).success);
  assert.ok(rainbow({ prometheusUrl: 'http://127.0.0.1:9090', activeTasksQuery: 'sum(x)' }, connections).success);
});

test('gc with no evidence at all is refused when the spec is read, saying how to fix it', () => {
  const r = rainbow({ minAge: '1h' });
  assert.equal(r.success, false);
  assert.match(
    messages(r).join('\n'),
    /^strategy\.rainbow\.gc: baton gc needs evidence .*set drain\.connections .* or strategy\.rainbow\.gc\.prometheusUrl with activeTasksQuery/m,
  );
  // drain without its metric is no evidence either
  assert.equal(rainbow({}, { drain: { deadlineSeconds: 60 } }).success, false);
});

test('half a Prometheus source is refused (a URL without its query, or the reverse)', () => {
  const r = rainbow({ prometheusUrl: 'http://127.0.0.1:9090' }, connections);
  assert.equal(r.success, false);
  assert.match(messages(r).join('\n'), /prometheusUrl and activeTasksQuery go together/);
  assert.equal(rainbow({ activeTasksQuery: 'sum(x)' }, connections).success, false);
});

test('a non-rainbow spec may carry an inert gc section without evidence', () => {
  assert.ok(specSchema.safeParse({ ...base, strategy: { kind: 'rolling', rainbow: { gc: { minAge: '1h' } } } }).success);
});
