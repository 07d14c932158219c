import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';

const NS = 'default';
let c: TestCluster;
before(async () => {
  c = await startTestCluster({
    behavior: (p: V1Pod) => (p.spec?.containers?.[0]?.image === 'slow' ? { ready: false } : { terminationDelayMs: 300 }),
  });
});
after(async () => {
  await c?.stop();
});

const rs = (name: string, replicas: number, image = 'app:v1'): V1ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    selector: { matchLabels: { rs: name } },
    template: { metadata: { labels: { rs: name } }, spec: { containers: [{ name: 'main', image }] } },
  },
});
const pods = async (name: string): Promise<V1Pod[]> =>
  (await c.clients.core.listNamespacedPod({ namespace: NS, labelSelector: `rs=${name}` })).items;
const readRS = (name: string): Promise<V1ReplicaSet> => c.clients.apps.readNamespacedReplicaSet({ name, namespace: NS });

test('creates owned pods, reports status, replaces a deleted pod', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedReplicaSet({ namespace: NS, body: rs('plain', 3) });
  const r = await waitFor('3 available', async () => {
    const x = await readRS('plain');
    return x.status?.availableReplicas === 3 ? x : undefined;
  });
  assert.deepEqual(
    [r.status?.replicas, r.status?.fullyLabeledReplicas, r.status?.readyReplicas, r.status?.observedGeneration],
    [3, 3, 3, r.metadata?.generation],
  );
  const ps = await pods('plain');
  assert.equal(ps.length, 3);
  for (const p of ps) {
    const ref = p.metadata!.ownerReferences![0]!;
    assert.deepEqual(
      [ref.kind, ref.name, ref.uid, ref.controller, ref.blockOwnerDeletion],
      ['ReplicaSet', 'plain', r.metadata?.uid, true, true],
    );
    assert.match(p.metadata!.name!, /^plain-[a-z0-9]{5}$/);
  }
  // A terminating pod no longer counts: a replacement is created at once.
  await c.clients.core.deleteNamespacedPod({ name: ps[0]!.metadata!.name!, namespace: NS });
  await waitFor('replacement', async () =>
    (await pods('plain')).filter((p) => !p.metadata?.deletionTimestamp).length === 3 &&
    (await pods('plain')).some((p) => p.metadata?.deletionTimestamp)
      ? true
      : undefined,
  );
  await waitFor('terminated pod gone', async () => (await pods('plain')).length === 3);
  const events = (await c.clients.core.listNamespacedEvent({ namespace: NS })).items.filter((e) => e.involvedObject?.name === 'plain');
  assert.ok(events.filter((e) => e.reason === 'SuccessfulCreate').length >= 4, 'SuccessfulCreate events');
});

test('scale down deletes not-ready pods before ready ones', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedReplicaSet({ namespace: NS, body: rs('mixed', 2) });
  await waitFor('2 ready', async () => (await readRS('mixed')).status?.readyReplicas === 2);
  // Swap the template so the next pods never become ready, then grow to 4.
  let x = await readRS('mixed');
  x.spec!.template!.spec!.containers[0]!.image = 'slow';
  x.spec!.replicas = 4;
  await c.clients.apps.replaceNamespacedReplicaSet({ name: 'mixed', namespace: NS, body: x });
  await waitFor('4 pods, 2 ready', async () => {
    const s = (await readRS('mixed')).status;
    return s?.replicas === 4 && s.readyReplicas === 2;
  });
  x = await readRS('mixed');
  x.spec!.replicas = 2;
  await c.clients.apps.replaceNamespacedReplicaSet({ name: 'mixed', namespace: NS, body: x });
  await waitFor('2 live pods', async () => (await pods('mixed')).filter((p) => !p.metadata?.deletionTimestamp).length === 2);
  const live = (await pods('mixed')).filter((p) => !p.metadata?.deletionTimestamp);
  assert.deepEqual(
    live.map((p) => p.spec?.containers?.[0]?.image),
    ['app:v1', 'app:v1'],
    'the ready pods stayed',
  );
});

test('a pod whose labels stop matching is released and replaced; a matching orphan is adopted', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedReplicaSet({ namespace: NS, body: rs('claim', 2) });
  await waitFor('2 ready', async () => (await readRS('claim')).status?.readyReplicas === 2);
  const [victim] = await pods('claim');
  victim!.metadata!.labels = { debug: 'yes' };
  await c.clients.core.replaceNamespacedPod({ name: victim!.metadata!.name!, namespace: NS, body: victim! });
  const released = await waitFor('released', async () => {
    const p = await c.clients.core.readNamespacedPod({ name: victim!.metadata!.name!, namespace: NS });
    return (p.metadata?.ownerReferences ?? []).length === 0 ? p : undefined;
  });
  assert.equal(released.metadata?.deletionTimestamp, undefined, 'released, not deleted');
  await waitFor('replacement', async () => (await pods('claim')).length === 2);
  // Give it its label back: now the ReplicaSet has 3 and adopts, then deletes one.
  const back = await c.clients.core.readNamespacedPod({ name: victim!.metadata!.name!, namespace: NS });
  back.metadata!.labels = { rs: 'claim' };
  await c.clients.core.replaceNamespacedPod({ name: back.metadata!.name!, namespace: NS, body: back });
  await waitFor('back to 2 live pods', async () => (await pods('claim')).filter((p) => !p.metadata?.deletionTimestamp).length === 2);
  const live = (await pods('claim')).filter((p) => !p.metadata?.deletionTimestamp);
  assert.ok(live.every((p) => p.metadata?.ownerReferences?.[0]?.name === 'claim'));
});
