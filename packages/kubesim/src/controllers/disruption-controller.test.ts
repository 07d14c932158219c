import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';

const NS = 'default';
let c: TestCluster;
before(async () => {
  c = await startTestCluster({ behavior: () => ({ terminationDelayMs: 50 }) });
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'app:v1' }] } },
      },
    },
  });
  await waitFor(
    '4 available',
    async () => (await c.clients.apps.readNamespacedDeployment({ name: 'web', namespace: NS })).status?.availableReplicas === 4,
  );
});
after(async () => {
  await c?.stop();
});

const pdb = (name: string, spec: NonNullable<V1PodDisruptionBudget['spec']>): V1PodDisruptionBudget => ({
  metadata: { name, namespace: NS },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});
const status = async (name: string, allowed: number): Promise<V1PodDisruptionBudget> =>
  waitFor(`${name} disruptionsAllowed=${allowed}`, async () => {
    const p = await c.clients.policy.readNamespacedPodDisruptionBudget({ name, namespace: NS });
    return p.status?.disruptionsAllowed === allowed && p.status.observedGeneration === p.metadata?.generation ? p : undefined;
  });

test('minAvailable (int and %) and maxUnavailable give the real numbers and condition', { timeout: 30_000 }, async () => {
  await c.clients.policy.createNamespacedPodDisruptionBudget({ namespace: NS, body: pdb('min3', { minAvailable: 3 }) });
  await c.clients.policy.createNamespacedPodDisruptionBudget({ namespace: NS, body: pdb('min60', { minAvailable: '60%' }) });
  await c.clients.policy.createNamespacedPodDisruptionBudget({ namespace: NS, body: pdb('max1', { maxUnavailable: 1 }) });
  const a = await status('min3', 1);
  assert.deepEqual([a.status?.currentHealthy, a.status?.desiredHealthy, a.status?.expectedPods], [4, 3, 4]);
  const cond = a.status?.conditions?.find((x) => x.type === 'DisruptionAllowed');
  assert.deepEqual([cond?.status, cond?.reason], ['True', 'SufficientPods']);
  const b = await status('min60', 1); // ceil(60% of 4) = 3
  assert.equal(b.status?.desiredHealthy, 3);
  const m = await status('max1', 1);
  assert.equal(m.status?.desiredHealthy, 3);
});

test('an unready pod uses up the budget: InsufficientPods', { timeout: 30_000 }, async () => {
  const [pod] = (await c.clients.core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
  await c.node!.setReady(NS, pod!.metadata!.name!, false);
  const a = await status('min3', 0);
  assert.equal(a.status?.currentHealthy, 3);
  const cond = a.status?.conditions?.find((x) => x.type === 'DisruptionAllowed');
  assert.deepEqual([cond?.status, cond?.reason], ['False', 'InsufficientPods']);
  await c.node!.setReady(NS, pod!.metadata!.name!, true);
  await status('min3', 1);
});
