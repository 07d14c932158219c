import type { ManifestHit, ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/** Kubernetes' arithmetic: percentages of replicas, surge rounded up, unavailable rounded down. */
function resolve(value: unknown, replicas: number, fallback: string, roundUp: boolean): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const percent = /^(\d+)%$/.exec(String(raw));
  if (percent === null) return Number(raw);
  const exact = (replicas * Number(percent[1])) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * maxUnavailable > 0 lets the rollout remove serving pods before their replacements are ready;
 * when that reaches the replica count, nothing serves for a while (1 replica, maxUnavailable 1).
 */
export const rollingUpdateCapacity: ManifestRule = {
  severity: 'error',
  summary: 'rolling update settings that let serving capacity drop (to zero)',
  check: (manifests) =>
    workloads(manifests)
      .filter((w) => w.kind === 'Deployment')
      .flatMap((w): ManifestHit[] => {
        const strategy = valueAt(w.manifest.object, ['spec', 'strategy', 'type']) ?? 'RollingUpdate';
        if (strategy !== 'RollingUpdate') return [];
        const replicas = w.replicas ?? 1;
        const base = ['spec', 'strategy', 'rollingUpdate'];
        const unavailable = resolve(valueAt(w.manifest.object, [...base, 'maxUnavailable']), replicas, '25%', false);
        const surge = resolve(valueAt(w.manifest.object, [...base, 'maxSurge']), replicas, '25%', true);
        const path = [...base, 'maxUnavailable'];
        if (unavailable === 0 && surge === 0) {
          return [
            {
              manifest: w.manifest,
              path: [...base],
              message: `Deployment ${w.name}: maxSurge and maxUnavailable both resolve to 0 for ${replicas} replicas, so the rollout cannot progress`,
              hint: 'Set maxSurge: 1 and maxUnavailable: 0.',
            },
          ];
        }
        if (unavailable === 0) return [];
        const serving = Math.max(replicas - unavailable, 0);
        return [
          {
            manifest: w.manifest,
            path,
            severity: serving === 0 ? 'error' : 'warning',
            message:
              serving === 0
                ? `Deployment ${w.name}: maxUnavailable ${unavailable} with ${replicas} replica(s) lets every serving pod go down before a new one is ready`
                : `Deployment ${w.name}: maxUnavailable ${unavailable} drops serving capacity to ${serving}/${replicas} pods during the rollout`,
            hint: 'Set strategy.rollingUpdate to maxUnavailable: 0 and maxSurge: 1 (or 25%): new pods become ready before old ones are removed.',
          },
        ];
      }),
};
