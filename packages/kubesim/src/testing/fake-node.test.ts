import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { startApiServer } from '../apiserver/index.js';
import { makeClients } from '../controllers/kube-clients.js';
import type { KubeClients } from '../controllers/kube-clients.js';
import { behaviorByImage, startFakeNode } from './fake-node.js';
import type { FakeNode } from './fake-node.js';
import { waitFor } from './test-cluster.js';

// The fake node alone against the API server: pods are bound by hand (no scheduler).
let stopApi: (() => Promise<void>) | undefined;
let node: FakeNode | undefined;
let c: KubeClients;
before(async () => {
  const api = await startApiServer({});
  stopApi = () => api.stop();
  c = makeClients(api.kubeconfig());
  node = await startFakeNode({
    kubeconfig: api.kubeconfig(),
    name: 'n1',
    behavior: behaviorByImage(
      { 'bad:v1': { ready: false }, 'job:v1': { exit: { afterMs: 50, code: 0 } } },
      { readyDelayMs: 100, terminationDelayMs: 200 },
    ),
  });
});
after(async () => {
  await node?.stop();
  await stopApi?.();
});

const pod = (name: string, image: string): V1Pod => ({
  metadata: { name },
  spec: { nodeName: 'n1', restartPolicy: 'Never', containers: [{ name: 'main', image }] },
});
const read = (name: string): Promise<V1Pod> => c.core.readNamespacedPod({ name, namespace: 'default' });
const ready = (p: V1Pod): boolean => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;

test('registers a Ready node', { timeout: 15_000 }, async () => {
  const n = await c.core.readNode({ name: 'n1' });
  assert.equal(n.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
});

test('runs pods per image: Running then Ready after the delay, never Ready, or Succeeded', { timeout: 15_000 }, async () => {
  await c.core.createNamespacedPod({ namespace: 'default', body: pod('good', 'app:v1') });
  await c.core.createNamespacedPod({ namespace: 'default', body: pod('bad', 'bad:v1') });
  await c.core.createNamespacedPod({ namespace: 'default', body: pod('job', 'job:v1') });
  const running = await waitFor('good Running', async () => {
    const p = await read('good');
    return p.status?.phase === 'Running' ? p : undefined;
  });
  assert.match(running.status?.podIP ?? '', /^127\.0\.200\.\d+$/);
  await waitFor('good Ready', async () => ready(await read('good')));
  await waitFor('job Succeeded', async () => (await read('job')).status?.phase === 'Succeeded');
  const bad = await read('bad');
  assert.equal(bad.status?.phase, 'Running');
  assert.equal(ready(bad), false);
});

test('a deleted pod lingers for its termination delay, then is removed', { timeout: 15_000 }, async () => {
  await c.core.deleteNamespacedPod({ name: 'good', namespace: 'default' });
  const t0 = Date.now();
  assert.ok((await read('good')).metadata?.deletionTimestamp, 'still there, terminating');
  await waitFor('removed', async () => {
    try {
      await read('good');
      return undefined;
    } catch (err) {
      return (err as { code?: number }).code === 404;
    }
  });
  assert.ok(Date.now() - t0 >= 150, 'waited for the termination delay');
});
