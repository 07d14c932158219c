import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { recordAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/**
 * spec.selector must match the pod template's labels; the API server rejects the object
 * otherwise, so the upgrade would fail at apply time, after its migrations ran.
 */
export const workloadSelectorMismatch: ManifestRule = {
  severity: 'error',
  summary: 'workload selector does not match its pod template labels',
  check: (manifests) =>
    workloads(manifests).flatMap((w) => {
      const matchLabels = recordAt(w.manifest.object, ['spec', 'selector', 'matchLabels']);
      if (matchLabels === undefined) return [];
      const wrong = Object.entries(matchLabels).filter(([key, value]) => w.templateLabels[key] !== value);
      if (wrong.length === 0) return [];
      return [
        {
          manifest: w.manifest,
          path: ['spec', 'selector', 'matchLabels'],
          message: `${w.kind} ${w.name}: selector ${wrong.map(([k, v]) => `${k}=${String(v)}`).join(', ')} does not match the pod template labels ${JSON.stringify(w.templateLabels)}; the API server rejects it`,
          hint: 'Make spec.template.metadata.labels contain every spec.selector.matchLabels entry (the selector of an existing Deployment cannot change).',
        },
      ];
    }),
};
