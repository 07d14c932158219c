import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/** Recreate stops every old pod before starting a new one: downtime by design. */
export const recreateStrategy: ManifestRule = {
  severity: 'error',
  summary: 'Deployment strategy Recreate means downtime on every rollout',
  check: (manifests) =>
    workloads(manifests)
      .filter((w) => w.kind === 'Deployment' && valueAt(w.manifest.object, ['spec', 'strategy', 'type']) === 'Recreate')
      .map((w) => ({
        manifest: w.manifest,
        path: ['spec', 'strategy', 'type'],
        message: `Deployment ${w.name} uses strategy Recreate: all pods stop before the new ones start, so every rollout is an outage`,
        hint: 'Use type: RollingUpdate with maxUnavailable: 0, maxSurge: 1; if two versions truly cannot run together, use a baton maintenance or blue-green strategy instead.',
      })),
};
