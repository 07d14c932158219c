import type {
  KubernetesObject,
  V1Deployment,
  V1PodDisruptionBudget,
  V1EndpointSlice,
  V1Endpoints,
  V1Job,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import type { KubeClients } from './kube-clients.js';
import { SharedInformer } from './shared-informer.js';

/** The shared informers of one controller manager: one watch per resource, whoever reads it. */
export interface Informers {
  pods: SharedInformer<V1Pod>;
  replicaSets: SharedInformer<V1ReplicaSet>;
  deployments: SharedInformer<V1Deployment>;
  jobs: SharedInformer<V1Job>;
  services: SharedInformer<V1Service>;
  endpoints: SharedInformer<V1Endpoints>;
  endpointSlices: SharedInformer<V1EndpointSlice>;
  nodes: SharedInformer<V1Node>;
  podDisruptionBudgets: SharedInformer<V1PodDisruptionBudget>;
}

/** Creates (does not start) the informers; controllers register handlers before start. */
export function makeInformers(c: KubeClients, log: (msg: string) => void): Informers {
  const mk = <T extends KubernetesObject>(path: string, list: () => Promise<{ items: T[] }>): SharedInformer<T> =>
    new SharedInformer<T>(c.kc, path, list as never, log);
  return {
    pods: mk('/api/v1/pods', () => c.core.listPodForAllNamespaces()),
    replicaSets: mk('/apis/apps/v1/replicasets', () => c.apps.listReplicaSetForAllNamespaces()),
    deployments: mk('/apis/apps/v1/deployments', () => c.apps.listDeploymentForAllNamespaces()),
    jobs: mk('/apis/batch/v1/jobs', () => c.batch.listJobForAllNamespaces()),
    services: mk('/api/v1/services', () => c.core.listServiceForAllNamespaces()),
    endpoints: mk('/api/v1/endpoints', () => c.core.listEndpointsForAllNamespaces()),
    endpointSlices: mk('/apis/discovery.k8s.io/v1/endpointslices', () => c.discovery.listEndpointSliceForAllNamespaces()),
    nodes: mk('/api/v1/nodes', () => c.core.listNode()),
    podDisruptionBudgets: mk('/apis/policy/v1/poddisruptionbudgets', () => c.policy.listPodDisruptionBudgetForAllNamespaces()),
  };
}
