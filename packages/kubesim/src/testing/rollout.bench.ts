/**
 * Prints how long kubesim's controllers take to roll Deployments out (API server + controllers +
 * fake node in one process, pods Ready at once). Figures, never assertions:
 *   node packages/kubesim/dist/testing/rollout.bench.js
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from './test-cluster.js';

const cluster = await startTestCluster({ behavior: () => ({}) });
const apps = cluster.clients.apps;
const ns = 'default';

async function rolledOut(name: string, n: number): Promise<void> {
  await waitFor(
    `rollout ${name}`,
    async () => {
      const d = await apps.readNamespacedDeployment({ name, namespace: ns });
      const s = d.status ?? {};
      return (
        (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
        s.updatedReplicas === n &&
        s.replicas === n &&
        s.availableReplicas === n
      );
    },
    120_000,
  );
}

function dep(name: string, replicas: number, surge: number | string, unavailable: number | string): V1Deployment {
  return {
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'app:v1' }] } },
    },
  };
}

try {
  console.log('scenario                                   create->available  image change->rolled out');
  for (const [replicas, surge, unavailable] of [
    [3, 1, 0],
    [10, 1, 0],
    [10, '25%', '25%'],
    [30, '25%', '25%'],
  ] as const) {
    const name = `bench-${replicas}-${String(surge).replace('%', 'p')}-${String(unavailable).replace('%', 'p')}`;
    const t0 = performance.now();
    await apps.createNamespacedDeployment({ namespace: ns, body: dep(name, replicas, surge, unavailable) });
    await rolledOut(name, replicas);
    const created = performance.now() - t0;
    const d = await apps.readNamespacedDeployment({ name, namespace: ns });
    d.spec!.template.spec!.containers[0]!.image = 'app:v2';
    const t1 = performance.now();
    await apps.replaceNamespacedDeployment({ name, namespace: ns, body: d });
    await rolledOut(name, replicas);
    const rolled = performance.now() - t1;
    const label = `replicas=${replicas} maxSurge=${surge} maxUnavailable=${unavailable}`;
    console.log(`${label.padEnd(43)}${`${created.toFixed(0)} ms`.padStart(16)}${`${rolled.toFixed(0)} ms`.padStart(26)}`);
  }
} finally {
  await cluster.stop();
}
