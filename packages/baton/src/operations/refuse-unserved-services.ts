import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { selectorString } from '../kube/label-selector.js';
import type { KubeObject } from '../kube/kube-object.js';
import { servicesSelectingNoTemplate } from '../manifests/service-selection.js';

const labels = (l: Record<string, string>): string =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * Fails the plan (exit 2, nothing changed) for a Service of the manifests that would have no
 * endpoint: its selector matches no pod template of the release and no pod running in the
 * namespace now. Applied, it would answer every request with a refused connection until a human
 * noticed; the gate would then roll back an upgrade that was never the fault.
 */
export async function refuseUnservedServices(manifests: readonly KubeObject[], kube: KubeClient, namespace: string): Promise<void> {
  const unserved: string[] = [];
  for (const candidate of servicesSelectingNoTemplate(manifests)) {
    const { items } = await kube.list({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selectorString(candidate.selector) });
    if (items.length > 0) continue; // it fronts pods deployed elsewhere: not ours to judge
    const carried = candidate.workloads.map((w) => `${w.name}'s pods carry ${labels(w.labels) || 'no labels'}`).join('; ');
    unserved.push(
      `  - Service ${candidate.service} selects ${labels(candidate.selector)}: no pod of this release has those labels and none runs (${carried})`,
    );
  }
  if (unserved.length === 0) return;
  throw new BatonError(
    'PLAN_SERVICE_WITHOUT_PODS',
    `${unserved.length === 1 ? 'a Service' : `${unserved.length} Services`} of the manifests would select no pod, and every request through it would fail; nothing was changed:\n${unserved.join('\n')}`,
    { hint: "make each Service's spec.selector a subset of its workload's spec.template.metadata.labels, then run baton plan again" },
  );
}
