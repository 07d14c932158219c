import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { recordAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/**
 * A Service whose selector matches none of the pod templates being deployed routes to no pod
 * of this release: after the rollout its traffic has nowhere to go. Only checked when the
 * manifests contain workloads in the Service's namespace (else the pods come from elsewhere).
 */
export const serviceSelectorUnmatched: ManifestRule = {
  severity: 'warning',
  summary: 'Service selector matches none of the workloads deployed with it',
  check: (manifests) => {
    const all = workloads(manifests);
    return manifests
      .filter((m) => m.object.kind === 'Service')
      .flatMap((service) => {
        const selector = recordAt(service.object, ['spec', 'selector']);
        const namespace = service.object.metadata.namespace ?? '';
        const candidates = all.filter((w) => (w.manifest.object.metadata.namespace ?? '') === namespace);
        if (selector === undefined || Object.keys(selector).length === 0 || candidates.length === 0) return [];
        const matches = candidates.some((w) => Object.entries(selector).every(([key, value]) => w.templateLabels[key] === value));
        if (matches) return [];
        return [
          {
            manifest: service,
            path: ['spec', 'selector'],
            message: `Service ${service.object.metadata.name} selects ${JSON.stringify(selector)}, which matches none of the pod templates deployed with it (${candidates.map((w) => `${w.kind} ${w.name}`).join(', ')})`,
            hint: 'Align spec.selector with the pod template labels of the workload that should receive this traffic.',
          },
        ];
      });
  },
};
