import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { connect, scenarios } from './scenarios.js';
import { busyboxBehavior } from './busybox-behavior.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';

/**
 * The version-dependent scenarios on kubesim serving 1.26 and 1.32 (API server, controllers, fake
 * node): each minor must show its own behaviour (no SuccessCriteriaMet / FailureTarget before 1.31).
 */
const versioned = scenarios.filter((s) => s.name.startsWith('Job:'));

for (const kubernetesVersion of ['1.26', '1.32']) {
  describe(`conformance scenarios on kubesim ${kubernetesVersion}`, { timeout: 120_000 }, () => {
    let cluster: TestCluster;
    const namespace = `versions-${randomBytes(3).toString('hex')}`;
    before(async () => {
      cluster = await startTestCluster({ behavior: busyboxBehavior, kubernetesVersion });
      await connect(cluster.kubeconfig).core.createNamespace({ body: { metadata: { name: namespace } } });
    });
    after(async () => {
      await cluster?.stop();
    });
    for (const s of versioned)
      test(s.name, async () => {
        await s.run({ kubeconfig: cluster.kubeconfig, namespace, timeoutMs: 30_000 });
      });
  });
}
