import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';
import { gracePeriodSeconds, preStopSleepSeconds } from '../../../kube/termination-timing.js';

/**
 * The grace period counts from the start of preStop: a sleep as long as the grace period leaves
 * no time to drain after SIGTERM, and the pod is SIGKILLed with requests in flight.
 */
export const prestopExceedsGrace: ManifestRule = {
  severity: 'error',
  summary: 'preStop sleep not shorter than terminationGracePeriodSeconds',
  check: (manifests) =>
    workloads(manifests).flatMap((w) =>
      w.containers.flatMap((c) => {
        const sleep = preStopSleepSeconds(valueAt(c.container, ['lifecycle', 'preStop']));
        const grace = gracePeriodSeconds(w.podSpec);
        if (sleep === undefined || sleep < grace) return [];
        return [
          {
            manifest: w.manifest,
            path: [...c.path, 'lifecycle', 'preStop'],
            message: `container ${c.name} of ${w.kind} ${w.name} sleeps ${sleep}s in preStop but the grace period is ${grace}s: it is killed before it can drain`,
            hint: `Set terminationGracePeriodSeconds to at least the preStop sleep plus the longest request drain (e.g. ${sleep + 25}), or shorten the sleep.`,
          },
        ];
      }),
    ),
};
