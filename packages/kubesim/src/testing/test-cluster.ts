import type { V1Pod } from '@kubernetes/client-node';
import { startApiServer } from '../apiserver/index.js';
import { startControllers } from '../controllers/index.js';
import type { ControllerManagerOptions } from '../controllers/index.js';
import { makeClients } from '../controllers/kube-clients.js';
import type { KubeClients } from '../controllers/kube-clients.js';
import { startFakeNode } from './fake-node.js';
import type { FakeNode, PodBehavior } from './fake-node.js';

/** Pod behaviour for the fake node, or no node at all, and controller overrides. */
export interface TestClusterOptions {
  behavior?: (pod: V1Pod) => PodBehavior;
  /** Start without a node (scheduler tests). */
  noNode?: boolean;
  controllers?: Partial<ControllerManagerOptions>;
  /** The Kubernetes minor the API server serves ("1.26"); the controllers follow its /version. */
  kubernetesVersion?: string;
}

/** A running test bed: its kubeconfig, typed clients, the fake node and `stop`. */
export interface TestCluster {
  url: string;
  kubeconfig: string;
  clients: KubeClients;
  node: FakeNode | undefined;
  stop(): Promise<void>;
}

/**
 * The controller test bed: kubesim's API server, the controllers and a fake node, all in this
 * process. Stop it in `after`/`finally`; it stops everything it started, in reverse order.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const api = await startApiServer(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {});
    stops.push(() => api.stop());
    const kubeconfig = api.kubeconfig();
    const log = process.env.KUBESIM_CONTROLLER_LOG ? (m: string) => console.error(`[controllers] ${m}`) : undefined;
    const cm = await startControllers({
      kubeconfig,
      jobBackoff: { baseMs: 100, maxMs: 1000 },
      ...(log ? { log } : {}),
      ...options.controllers,
    });
    stops.push(() => cm.stop());
    let node: FakeNode | undefined;
    if (!options.noNode) {
      node = await startFakeNode({ kubeconfig, ...(options.behavior ? { behavior: options.behavior } : {}) });
      stops.push(() => node!.stop());
    }
    return { url: api.httpsUrl, kubeconfig, clients: makeClients(kubeconfig), node, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Polls `check` (cheap, against the API) until it returns a value, or fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
