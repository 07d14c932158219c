import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';
import { startFakeNode } from '../testing/fake-node.js';
import type { FakeNode } from '../testing/fake-node.js';

let c: TestCluster;
let node: FakeNode | undefined;
before(async () => {
  c = await startTestCluster({ noNode: true });
});
after(async () => {
  await node?.stop();
  await c?.stop();
});

test('a pod stays Pending/Unschedulable without a node, then binds when one registers', { timeout: 30_000 }, async () => {
  const core = c.clients.core;
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'lonely' }, spec: { containers: [{ name: 'main', image: 'app:v1' }] } },
  });
  const pending = await waitFor('Unschedulable', async () => {
    const p = await core.readNamespacedPod({ name: 'lonely', namespace: 'default' });
    return p.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False') ? p : undefined;
  });
  assert.equal(pending.status?.phase, 'Pending');
  assert.equal(pending.spec?.nodeName ?? '', '');
  assert.equal(pending.status?.conditions?.find((x) => x.type === 'PodScheduled')?.reason, 'Unschedulable');
  const ev = await waitFor('FailedScheduling event', async () =>
    (await core.listNamespacedEvent({ namespace: 'default' })).items.find(
      (e) => e.reason === 'FailedScheduling' && e.involvedObject?.name === 'lonely',
    ),
  );
  assert.equal(ev.type, 'Warning');
  node = await startFakeNode({ kubeconfig: c.kubeconfig, name: 'late-node' });
  const bound = await waitFor('bound and running', async () => {
    const p = await core.readNamespacedPod({ name: 'lonely', namespace: 'default' });
    return p.spec?.nodeName === 'late-node' && p.status?.phase === 'Running' ? p : undefined;
  });
  assert.ok(bound.status?.podIP);
  assert.ok(
    (await core.listNamespacedEvent({ namespace: 'default' })).items.some(
      (e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/lonely to late-node',
    ),
  );
});

test('a NotReady node gets no pods', { timeout: 30_000 }, async () => {
  const core = c.clients.core;
  await node!.setNodeReady(false);
  await waitFor(
    'node NotReady',
    async () => (await core.readNode({ name: 'late-node' })).status?.conditions?.find((x) => x.type === 'Ready')?.status === 'False',
  );
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'second' }, spec: { containers: [{ name: 'main', image: 'app:v1' }] } },
  });
  const p = await waitFor('Unschedulable', async () => {
    const x = await core.readNamespacedPod({ name: 'second', namespace: 'default' });
    return x.status?.conditions?.find((k) => k.type === 'PodScheduled' && k.status === 'False') ? x : undefined;
  });
  assert.match(p.status!.conditions!.find((k) => k.type === 'PodScheduled')!.message!, /^0\/1 nodes are available/);
  await node!.setNodeReady(true);
  await waitFor(
    'bound after Ready',
    async () => (await core.readNamespacedPod({ name: 'second', namespace: 'default' })).spec?.nodeName === 'late-node',
  );
});
