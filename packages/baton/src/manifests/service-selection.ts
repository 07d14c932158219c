import { matchesLabels } from '../kube/label-selector.js';
import type { KubeObject } from './kube-object.js';

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** A Service of the manifests that no pod template of the manifests would give an endpoint. */
export interface UnselectedService {
  service: string;
  selector: Record<string, string>;
  /** The labels of each workload's pods, for the message: what the selector could have said. */
  workloads: { name: string; labels: Record<string, string> }[];
}

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
const labelsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(fieldsOf(value) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/**
 * Services whose selector no pod template among the manifests satisfies. Pure: the caller still
 * asks the cluster whether some other pod carries those labels (a Service of the release may
 * front pods deployed elsewhere). A Service without a selector (endpoints managed by hand) and
 * manifests without workloads say nothing.
 */
export function servicesSelectingNoTemplate(manifests: readonly KubeObject[]): UnselectedService[] {
  const workloads = manifests
    .filter((m) => workloadKinds.has(m.kind))
    .map((m) => ({
      name: m.metadata.name,
      labels: labelsOf(fieldsOf(fieldsOf(fieldsOf(m['spec'])?.['template'])?.['metadata'])?.['labels']),
    }));
  if (workloads.length === 0) return [];
  const out: UnselectedService[] = [];
  for (const m of manifests) {
    if (m.kind !== 'Service') continue;
    const selector = labelsOf(fieldsOf(m['spec'])?.['selector']);
    if (Object.keys(selector).length === 0) continue;
    const served = workloads.some((w) => matchesLabels(selector, w.labels));
    if (!served) out.push({ service: m.metadata.name, selector, workloads });
  }
  return out;
}
