import type { KubeObject } from '../kube/kube-object.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

/** What plan/ observed in the cluster: plain data, so planning stays a pure function. */
export interface LiveState {
  /** Live counterpart of each manifest object, keyed by objectKey(). */
  objects: Record<string, KubeObject | undefined>;
  /** Deployments of this app (the manifest's name and its -blue / -green variants). */
  deployments: DeploymentLike[];
  /** The live app Service. */
  service: KubeObject | undefined;
  /** pod-template-hash of each live Deployment's newest ReplicaSet. */
  currentHash: Record<string, string>;
  history: ReleaseEntry[];
}

export function objectKey(object: { kind: string; metadata: { name: string } }): string {
  return `${object.kind}/${object.metadata.name}`;
}
