import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';
import { createPrometheusGate, judgeSamples } from './prometheus.js';
import { startPrometheus, type PrometheusProcess } from './prometheus-process.js';
import { queryPrometheus } from './prometheus-query.js';

const env = { startedAt: 0 };
const ctx = () => createTestRunContext();

test('judgeSamples: NaN, empty and too few samples are inconclusive, never a pass', () => {
  const c = { query: 'q', thresholds: { max: 1 }, minSamples: 2 };
  assert.equal(judgeSamples(c, []).kind, 'inconclusive');
  assert.equal(
    judgeSamples(c, [
      { labels: {}, value: NaN },
      { labels: {}, value: 0 },
    ]).kind,
    'inconclusive',
  );
  assert.equal(judgeSamples(c, [{ labels: {}, value: 0 }]).kind, 'inconclusive');
  assert.equal(
    judgeSamples(c, [
      { labels: {}, value: 0 },
      { labels: {}, value: 1 },
    ]).kind,
    'pass',
  );
  assert.equal(
    judgeSamples(c, [
      { labels: {}, value: 0 },
      { labels: { a: 'b' }, value: Infinity },
    ]).kind,
    'fail',
  );
  assert.equal(
    judgeSamples({ ...c, thresholds: { min: 5 } }, [
      { labels: {}, value: 4 },
      { labels: {}, value: 6 },
    ]).kind,
    'fail',
  );
});

test('prometheus gate config: thresholds need a bound; a bad config is GATE_INVALID', () => {
  assert.throws(
    () => createPrometheusGate({ kind: 'prometheus', url: 'http://x', query: 'up', thresholds: {} }, env),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
  assert.throws(
    () => createPrometheusGate({ kind: 'prometheus', url: 'ftp://x', query: 'up', thresholds: { max: 1 } }, env),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
});

describe('prometheus gate against a real Prometheus scraping a real /metrics', { timeout: 90_000 }, () => {
  let prom: PrometheusProcess;
  let server: Server;
  const registry = new Registry();
  const errors = new Gauge({ name: 'gate_test_errors', help: 'errors', labelNames: ['release'], registers: [registry] });
  errors.set({ release: 'a' }, 2);
  errors.set({ release: 'b' }, 7);

  before(async () => {
    server = createServer((_req, res) => {
      void registry.metrics().then((m) => res.writeHead(200, { 'content-type': registry.contentType }).end(m));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    prom = await startPrometheus();
    await prom.setTargets([{ target: `127.0.0.1:${(server.address() as AddressInfo).port}` }]);
    // Wait for a few scrapes so range queries have several points.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await queryPrometheus({ url: prom.url, query: 'count_over_time(gate_test_errors{release="a"}[1m])' });
      if (r.kind === 'ok' && (r.samples[0]?.value ?? 0) >= 3) break;
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape the test target: ${JSON.stringify(r)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
  after(async () => {
    await prom?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  const verdict = (config: Record<string, unknown>) =>
    createPrometheusGate({ kind: 'prometheus', url: prom.url, ...config } as never, env).evaluate(ctx());

  test('pass: every series within bounds', async () => {
    const v = await verdict({ query: 'gate_test_errors', thresholds: { max: 10 }, minSamples: 2 });
    assert.equal(v.kind, 'pass', JSON.stringify(v));
  });
  test('fail: a series over the bound, named in the reason', async () => {
    const v = await verdict({ query: 'gate_test_errors', thresholds: { max: 5 } });
    assert.equal(v.kind, 'fail');
    assert.match(v.kind === 'fail' ? v.reason : '', /release="b".* 7/);
  });
  test('inconclusive: fewer samples than minSamples (a matrix counts its points)', async () => {
    const v = await verdict({ query: 'gate_test_errors{release="a"}', thresholds: { max: 10 }, minSamples: 2 });
    assert.equal(v.kind, 'inconclusive');
    assert.match(v.kind === 'inconclusive' ? v.reason : '', /only 1 sample/);
    const range = await verdict({ query: 'gate_test_errors{release="a"}[1m]', thresholds: { max: 10 }, minSamples: 2 });
    assert.equal(range.kind, 'pass', JSON.stringify(range));
  });
  test('inconclusive: NaN (0/0 is no error rate, not a good one)', async () => {
    const zero = '(gate_test_errors - gate_test_errors)';
    const v = await verdict({ query: `${zero} / ${zero}`, thresholds: { max: 0.01 } });
    assert.equal(v.kind, 'inconclusive', JSON.stringify(v));
    assert.match(v.kind === 'inconclusive' ? v.reason : '', /NaN/);
    // x/0 is +Inf: a real value, over any bound.
    const inf = await verdict({ query: `gate_test_errors / ${zero}`, thresholds: { max: 0.01 } });
    assert.equal(inf.kind, 'fail', JSON.stringify(inf));
  });
  test('inconclusive: empty result', async () => {
    const v = await verdict({ query: 'gate_test_errors{release="nope"}', thresholds: { max: 0 } });
    assert.equal(v.kind, 'inconclusive');
    assert.match(v.kind === 'inconclusive' ? v.reason : '', /no data/);
  });
  test("inconclusive: bad PromQL, with Prometheus's own error", async () => {
    const v = await verdict({ query: 'sum(gate_test_errors', thresholds: { max: 1 } });
    assert.equal(v.kind, 'inconclusive');
    assert.match(v.kind === 'inconclusive' ? v.reason : '', /bad_data/);
  });
  test('inconclusive: Prometheus unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const v = await createPrometheusGate(
      { kind: 'prometheus', url: `http://127.0.0.1:${port}`, query: 'up', thresholds: { max: 1 } },
      env,
    ).evaluate(ctx());
    assert.equal(v.kind, 'inconclusive');
    assert.match(v.kind === 'inconclusive' ? v.reason : '', /unreachable/);
  });
});
