import { after, before } from 'node:test';
import { startCluster, type Cluster } from '@baton/kubesim';
import type { KubeClient } from '../kube/kube-client.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';

/**
 * For a describe block that needs kubesim's API only (no pods run): starts it before the block,
 * stops it after, and returns a getter for a client (valid inside tests and hooks).
 */
export function useApiOnlyCluster(setUp?: (kube: KubeClient) => Promise<void>): () => KubeClient {
  let cluster: Cluster | undefined;
  let kube: KubeClient | undefined;
  before(async () => {
    cluster = await startCluster({ images: {} });
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
    await setUp?.(kube);
  });
  after(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!kube) throw new Error('useApiOnlyCluster: the cluster is not started yet (call the getter inside a test or hook)');
    return kube;
  };
}
