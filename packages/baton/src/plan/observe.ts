import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { BatonSpec } from '../spec/schema.js';
import { readHistory } from '../kube/release-history.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { objectKey, type LiveState } from './live-state.js';
import { selectorString } from '../kube/label-selector.js';

interface ReplicaSetLike extends KubeObject {
  metadata: KubeObject['metadata'] & { annotations?: Record<string, string>; labels?: Record<string, string> };
}

/** Reads everything buildPlan needs from the cluster. The only I/O of planning. */
export async function observe(kube: KubeClient, spec: BatonSpec, manifests: KubeObject[]): Promise<LiveState> {
  const namespace = spec.namespace;
  const objects: LiveState['objects'] = {};
  await Promise.all(
    manifests.map(async (m) => {
      objects[objectKey(m)] = await kube.get({
        apiVersion: m.apiVersion,
        kind: m.kind,
        name: m.metadata.name,
        namespace: m.metadata.namespace ?? namespace,
      });
    }),
  );
  const base = spec.deployment ?? manifests.find((m) => m.kind === 'Deployment')?.metadata.name;
  const deployments: DeploymentLike[] = [];
  const currentHash: Record<string, string> = {};
  if (base) {
    for (const name of [base, `${base}-blue`, `${base}-green`]) {
      const d = await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
      if (!d) continue;
      deployments.push(d);
      const hash = await newestHash(kube, d);
      if (hash) currentHash[name] = hash;
    }
  }
  const serviceName = spec.service ?? manifests.find((m) => m.kind === 'Service')?.metadata.name;
  const service = serviceName
    ? (objects[`Service/${serviceName}`] ?? (await kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace })))
    : undefined;
  const history = await readHistory(kube, namespace, spec.app);
  return { objects, deployments, service, currentHash, history };
}

/** The pod-template-hash of the Deployment's ReplicaSet with the highest revision. */
async function newestHash(kube: KubeClient, d: DeploymentLike): Promise<string | undefined> {
  const selector = selectorString(d.spec.selector.matchLabels);
  const { items } = await kube.list<ReplicaSetLike>({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    namespace: d.metadata.namespace,
    labelSelector: selector,
  });
  const owned = items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
  owned.sort(
    (a, b) =>
      Number(b.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) -
      Number(a.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
  );
  return owned[0]?.metadata.labels?.['pod-template-hash'];
}
