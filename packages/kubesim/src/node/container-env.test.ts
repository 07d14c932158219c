import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContainerEnv } from './container-env.js';
import type { Pod } from './pod-types.js';

const sources = {
  configMap: async (_ns: string, name: string) => (name === 'cm' ? { A: 'from-cm', 'bad key': 'x', K: 'k' } : undefined),
  secret: async (_ns: string, name: string) => (name === 's' ? { PASS: 'hunter2' } : undefined),
};

function pod(env: unknown[], envFrom: unknown[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'web' }, annotations: { 'a/b': 'c' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', env: env as never, envFrom: envFrom as never }] },
  };
}

async function build(p: Pod) {
  return buildContainerEnv({
    pod: p,
    container: p.spec.containers[0]!,
    image: { env: { IMG: 'i' }, path: ['/img/bin'] },
    podIP: '127.244.0.5',
    hostIP: '127.0.0.1',
    sources,
    hostEnv: { PATH: '/usr/bin' },
  });
}

test('pod vars, image env, envFrom with prefix, env with downward API and expansion', async () => {
  const r = await build(
    pod(
      [
        { name: 'X', value: '$(A)-$(POD_IP)-$(NOPE)' },
        { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'AN', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['a/b']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'K2', valueFrom: { configMapKeyRef: { name: 'cm', key: 'K' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'PASS' } } },
        { name: 'OPT', valueFrom: { secretKeyRef: { name: 'missing', key: 'x', optional: true } } },
      ],
      [{ configMapRef: { name: 'cm' } }, { prefix: 'S_', secretRef: { name: 's' } }],
    ),
  );
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  const e = r.env;
  assert.equal(e.PATH, '/img/bin:/usr/bin');
  assert.equal(e.IMG, 'i');
  assert.equal(e.POD_IP, '127.244.0.5');
  assert.equal(e.KUBESIM_POD_IP, '127.244.0.5');
  assert.equal(e.POD_NAMESPACE, 'ns');
  assert.equal(e.X, 'from-cm-127.244.0.5-$(NOPE)');
  assert.equal(e.N, 'p');
  assert.equal(e.L, 'web');
  assert.equal(e.AN, 'c');
  assert.equal(e.IP, '127.244.0.5');
  assert.equal(e.NODE, 'n1');
  assert.equal(e.K2, 'k');
  assert.equal(e.PW, 'hunter2');
  assert.equal(e.S_PASS, 'hunter2');
  assert.equal(e['bad key'], undefined);
  assert.equal('OPT' in e, false);
});

test('missing non-optional references are config errors', async () => {
  const r1 = await build(pod([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }]));
  assert.deepEqual(r1, { kind: 'error', message: 'configmap "nope" not found' });
  const r2 = await build(pod([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }]));
  assert.equal(r2.kind, 'error');
  const r3 = await build(pod([], [{ secretRef: { name: 'nope' } }]));
  assert.deepEqual(r3, { kind: 'error', message: 'secret "nope" not found' });
});
