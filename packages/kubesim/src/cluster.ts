import { startApiServer, type ApiServer } from './apiserver/index.js';
import { startControllers, type ControllerManager } from './controllers/index.js';
import { loadImageMap, startKubelet, type ImageMap, type Kubelet, type KubeletTiming } from './node/index.js';
import { networkCrds, startNetwork, type Network } from './network/index.js';

export interface ClusterOptions {
  /** Image -> command map, or the path of an images.yaml. */
  images: ImageMap | string;
  /** Keep API state in this folder across restarts. Default: memory only. */
  dataDir?: string;
  /** How late endpoint changes reach the proxies (kube-proxy / load balancer lag). Default 1000. */
  propagationDelayMs?: number;
  /** Port of the ingress proxy on 127.0.0.1. Default: a free one. */
  ingressPort?: number;
  /** Port of the API server on 127.0.0.1. Default: a free one. */
  apiPort?: number;
  /** Write the kubeconfig here as well. */
  kubeconfigPath?: string;
  /** The Kubernetes minor to serve, "1.26" to "1.32" (default "1.32"): see kubernetes-version.ts. */
  kubernetesVersion?: string;
  /** Kubelet timing: 'fast' (default, for tests) or 'realistic' (docs/node.md, "Timing model"). */
  timing?: KubeletTiming;
}

/** A whole local Kubernetes: API server, controllers, one node whose pods are real processes, network. */
export interface Cluster {
  /** https://127.0.0.1:PORT: TLS only, with the server's own CA (in the kubeconfig). */
  apiUrl: string;
  /** fetch(apiUrl + path) trusting that CA. */
  fetch: ApiServer['fetch'];
  /** kubeconfig YAML with a bearer token for the API server. */
  kubeconfig: string;
  ingressUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts kubesim. The parts talk to each other only through the API server over HTTP, exactly as
 * a real cluster's components do, so any part could be pointed at a real API server instead.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const images = typeof options.images === 'string' ? await loadImageMap(options.images) : options.images;
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const api: ApiServer = await startApiServer({
      ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.apiPort ? { port: options.apiPort } : {}),
    });
    stops.push(() => api.stop());
    const kubeconfig = api.kubeconfig();
    if (options.kubeconfigPath) await api.writeKubeconfig(options.kubeconfigPath);
    await installCrds(api, networkCrds);
    const controllers: ControllerManager = await startControllers({ kubeconfig });
    stops.push(() => controllers.stop());
    const kubelet: Kubelet = await startKubelet({ kubeconfig, images, ...(options.timing ? { timing: options.timing } : {}) });
    stops.push(() => kubelet.stop());
    const network: Network = await startNetwork({
      kubeconfig,
      propagationDelayMs: options.propagationDelayMs ?? 1000,
      ...(options.ingressPort ? { ingressPort: options.ingressPort } : {}),
    });
    stops.push(() => network.stop());
    return { apiUrl: api.httpsUrl, fetch: api.fetch, kubeconfig, ingressUrl: network.ingressUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function installCrds(api: ApiServer, crds: readonly object[]): Promise<void> {
  for (const crd of crds) {
    const response = await api.fetch('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(crd),
    });
    if (!response.ok && response.status !== 409) throw new Error(`installing CRD failed: HTTP ${response.status} ${await response.text()}`);
  }
}
