import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { recordAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/** True when a PDB's matchLabels select a pod with these labels (matchExpressions count as a match). */
function selects(pdbSelector: Record<string, unknown> | undefined, labels: Record<string, string>): boolean {
  if (pdbSelector === undefined) return false;
  if (pdbSelector['matchExpressions'] !== undefined) return true;
  const match = (pdbSelector['matchLabels'] ?? {}) as Record<string, unknown>;
  const keys = Object.keys(match);
  return keys.length > 0 && keys.every((key) => labels[key] === match[key]);
}

/**
 * Node drains and cluster upgrades evict pods regardless of the Deployment's rollout settings;
 * only a PodDisruptionBudget keeps some replicas serving while that happens.
 */
export const pdbMissing: ManifestRule = {
  severity: 'warning',
  summary: 'multi-replica workload without a PodDisruptionBudget',
  check: (manifests) => {
    const pdbs = manifests.filter((m) => m.object.kind === 'PodDisruptionBudget');
    return workloads(manifests)
      .filter((w) => (w.kind === 'Deployment' || w.kind === 'StatefulSet') && (w.replicas ?? 1) > 1)
      .filter(
        (w) =>
          !pdbs.some(
            (p) =>
              (p.object.metadata.namespace ?? '') === (w.manifest.object.metadata.namespace ?? '') &&
              selects(recordAt(p.object, ['spec', 'selector']), w.templateLabels),
          ),
      )
      .map((w) => ({
        manifest: w.manifest,
        path: ['spec', 'replicas'],
        message: `${w.kind} ${w.name} runs ${w.replicas} replicas but no PodDisruptionBudget selects its pods: a node drain can evict them all at once`,
        hint: `Add a PodDisruptionBudget with selector.matchLabels ${JSON.stringify(w.templateLabels)} and maxUnavailable: 1.`,
      }));
  },
};
