import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/** How long a probe takes to give up: failureThreshold (default 3) x periodSeconds (default 10). */
function windowSeconds(probe: unknown): number {
  const failures = valueAt(probe, ['failureThreshold']);
  const period = valueAt(probe, ['periodSeconds']);
  return (typeof failures === 'number' ? failures : 3) * (typeof period === 'number' ? period : 10);
}

function endpoint(probe: unknown): string | undefined {
  const path = valueAt(probe, ['httpGet', 'path']);
  const port = valueAt(probe, ['httpGet', 'port']);
  return path === undefined ? undefined : `${String(port)}${String(path)}`;
}

/**
 * When liveness checks the same endpoint as readiness and gives up no later, a slow or overloaded
 * pod is restarted at the moment it should merely be taken out of rotation: the restarts move the
 * load to the survivors, which then fail too.
 */
export const livenessEqualsReadiness: ManifestRule = {
  severity: 'warning',
  summary: 'liveness probe on the readiness endpoint with thresholds as aggressive as readiness',
  check: (manifests) =>
    workloads(manifests).flatMap((w) =>
      w.containers.flatMap((c) => {
        const liveness = c.container['livenessProbe'];
        const readiness = c.container['readinessProbe'];
        const target = endpoint(liveness);
        if (target === undefined || target !== endpoint(readiness) || windowSeconds(liveness) > windowSeconds(readiness)) return [];
        return [
          {
            manifest: w.manifest,
            path: [...c.path, 'livenessProbe'],
            message: `container ${c.name} of ${w.kind} ${w.name}: livenessProbe uses the readiness endpoint ${String(valueAt(liveness, ['httpGet', 'path']))} and restarts after ${windowSeconds(liveness)}s, no later than readiness removes the pod (${windowSeconds(readiness)}s)`,
            hint: 'Give liveness its own cheap endpoint (/health: the process is alive, no dependency checks) and a longer window (e.g. failureThreshold: 6, periodSeconds: 10) than readiness.',
          },
        ];
      }),
    ),
};
