import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { connect, scenarios } from './scenarios.js';
import { authScenarios } from './auth-scenarios.js';
import { busyboxApplets } from './busybox-applets.js';
import { portForwardScenarios } from './port-forward-scenarios.js';
import type { ConformanceContext } from './scenarios.js';
import { startTestCluster } from '../testing/test-cluster.js';
import { busyboxBehavior as behavior } from './busybox-behavior.js';

/**
 * Runs the controller conformance scenarios against $KUBECONFIG (a file path, e.g. a kind or
 * real cluster) or, without it, against kubesim started here: by default API server +
 * controllers + fake node; with CONFORMANCE_KUBESIM=full the whole kubesim cluster, whose kubelet
 * runs the busybox commands as real processes (busybox images map to the host's /bin).
 * Each run uses a fresh namespace and deletes it afterwards.
 */
let kubeconfig = '';
let stopCluster: (() => Promise<void>) | undefined;
/** Whether pods run for real: on $KUBECONFIG and with CONFORMANCE_KUBESIM=full, not on the fake node. */
const runsContainers = !!process.env.KUBECONFIG || process.env.CONFORMANCE_KUBESIM === 'full';
const namespace = `conformance-${randomBytes(3).toString('hex')}`;
const timeoutMs = Number(process.env.CONFORMANCE_TIMEOUT_MS ?? 30_000);
/** kubesim only: the minor to serve (CONFORMANCE_KUBERNETES_VERSION=1.26); a real cluster is what it is. */
const kubernetesVersion = process.env.CONFORMANCE_KUBERNETES_VERSION;

before(async () => {
  const path = process.env.KUBECONFIG;
  if (path) {
    const { readFile } = await import('node:fs/promises');
    kubeconfig = await readFile(path.split(':')[0]!, 'utf8');
  } else if (process.env.CONFORMANCE_KUBESIM === 'full') {
    const { startCluster } = await import('../cluster.js');
    // busybox's applets are the host's commands, plus the few the host lacks (httpd).
    const applets = await busyboxApplets();
    const path = [applets.dir, '/usr/local/bin', '/usr/bin', '/bin'];
    const c = await startCluster({
      images: { 'busybox:1.36': { path }, 'busybox:1.37': { path } },
      propagationDelayMs: 100,
      ...(kubernetesVersion ? { kubernetesVersion } : {}),
    });
    kubeconfig = c.kubeconfig;
    stopCluster = async () => {
      await c.stop();
      await applets.remove();
    };
  } else {
    const c = await startTestCluster({ behavior, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
    kubeconfig = c.kubeconfig;
    stopCluster = () => c.stop();
  }
  await connect(kubeconfig).core.createNamespace({ body: { metadata: { name: namespace } } });
});

after(async () => {
  if (kubeconfig)
    await connect(kubeconfig)
      .core.deleteNamespace({ name: namespace })
      .catch(() => undefined);
  await stopCluster?.();
});

for (const s of [...scenarios, ...authScenarios, ...portForwardScenarios]) {
  const skip =
    (s.needsRunningContainers && !runsContainers ? 'needs containers that run (set KUBECONFIG, or CONFORMANCE_KUBESIM=full)' : undefined) ??
    s.unavailable?.();
  test(s.name, { timeout: timeoutMs * 4, ...(skip ? { skip } : {}) }, async () => {
    const ctx: ConformanceContext = { kubeconfig, namespace, timeoutMs };
    await s.run(ctx);
  });
}
