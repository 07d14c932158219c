import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { connect, scenarios } from './scenarios.js';
import type { ConformanceContext } from './scenarios.js';
import { startTestCluster } from '../testing/test-cluster.js';
import type { PodBehavior } from '../testing/fake-node.js';

/**
 * Runs the controller conformance scenarios against $KUBECONFIG (a file path, e.g. a kind or
 * real cluster) or, without it, against kubesim started here: by default API server +
 * controllers + fake node; with CONFORMANCE_KUBESIM=full the whole kubesim cluster, whose kubelet
 * runs the busybox commands as real processes (busybox images map to the host's /bin).
 * Each run uses a fresh namespace and deletes it afterwards.
 */
let kubeconfig = '';
let stopCluster: (() => Promise<void>) | undefined;
const namespace = `conformance-${randomBytes(3).toString('hex')}`;
const timeoutMs = Number(process.env.CONFORMANCE_TIMEOUT_MS ?? 30_000);

/** The fake node's reading of a busybox pod: `exit N`, failing exec probes, preStop sleeps. */
function behavior(pod: V1Pod): PodBehavior {
  const c = pod.spec?.containers?.[0];
  const cmd = (c?.command ?? []).join(' ');
  const exit = /exit (\d+)/.exec(cmd);
  const probe = c?.readinessProbe?.exec?.command?.join(' ');
  const stop = /sleep (\d+)/.exec(c?.lifecycle?.preStop?.exec?.command?.join(' ') ?? '');
  return {
    readyDelayMs: 50,
    ...(exit ? { exit: { afterMs: 100, code: Number(exit[1]) } } : {}),
    ...(probe === 'false' ? { ready: false } : {}),
    terminationDelayMs: stop ? Number(stop[1]) * 1000 : 50,
  };
}

before(async () => {
  const path = process.env.KUBECONFIG;
  if (path) {
    const { readFile } = await import('node:fs/promises');
    kubeconfig = await readFile(path.split(':')[0]!, 'utf8');
  } else if (process.env.CONFORMANCE_KUBESIM === 'full') {
    const { startCluster } = await import('../cluster.js');
    const path = ['/usr/local/bin', '/usr/bin', '/bin'];
    const c = await startCluster({ images: { 'busybox:1.36': { path }, 'busybox:1.37': { path } }, propagationDelayMs: 100 });
    kubeconfig = c.kubeconfig;
    stopCluster = () => c.stop();
  } else {
    const c = await startTestCluster({ behavior });
    kubeconfig = c.kubeconfig;
    stopCluster = () => c.stop();
  }
  await connect(kubeconfig).core.createNamespace({ body: { metadata: { name: namespace } } });
});

after(async () => {
  if (kubeconfig) await connect(kubeconfig).core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await stopCluster?.();
});

for (const s of scenarios) {
  test(s.name, { timeout: timeoutMs * 4 }, async () => {
    const ctx: ConformanceContext = { kubeconfig, namespace, timeoutMs };
    await s.run(ctx);
  });
}
