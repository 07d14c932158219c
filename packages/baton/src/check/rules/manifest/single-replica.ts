import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { workloads } from '../../manifest/workloads.js';

/** One replica cannot survive a node drain, a crash or an eviction without an outage. */
export const singleReplica: ManifestRule = {
  severity: 'warning',
  summary: 'a single replica cannot ride out a crash, eviction or node drain',
  check: (manifests) =>
    workloads(manifests)
      .filter((w) => (w.kind === 'Deployment' || w.kind === 'StatefulSet') && w.replicas === 1)
      .map((w) => ({
        manifest: w.manifest,
        path: w.manifest.object['spec'] !== undefined ? ['spec', 'replicas'] : [],
        message: `${w.kind} ${w.name} runs 1 replica: a crash, an eviction or a node drain is an outage (rollouts survive only thanks to maxSurge)`,
        hint: 'Run at least 2 replicas (with a PodDisruptionBudget maxUnavailable: 1) for anything that serves traffic.',
      })),
};
