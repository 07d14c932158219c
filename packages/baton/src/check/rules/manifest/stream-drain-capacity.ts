import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';
import { gracePeriodSeconds, preStopSleepSeconds } from '../../../kube/termination-timing.js';

/**
 * With a spec (`baton check --spec`): the streams it says the app serves (drain.maxStreamSeconds)
 * must fit in what the drain can give them, which is baton's drain deadline (old pods held out of
 * the Deployment controller) plus what the pod itself gets after SIGTERM (grace period minus the
 * preStop sleep). A deadline shorter than the grace period is a mistake on its own: the pod's
 * drain would outlast baton's.
 */
export const streamDrainCapacity: ManifestRule = {
  severity: 'warning',
  summary: "grace period, preStop and the spec's drain deadline cannot hold the streams the app serves",
  check: (manifests, context) => {
    const drain = context.drain;
    if (!drain) return [];
    return workloads(manifests)
      .filter((w) => w.kind === 'Deployment')
      .flatMap((w) => {
        const grace = gracePeriodSeconds(w.podSpec);
        const preStop = Math.max(0, ...w.containers.map((c) => preStopSleepSeconds(valueAt(c.container, ['lifecycle', 'preStop'])) ?? 0));
        const path = [...w.podSpecPath, 'terminationGracePeriodSeconds'];
        const hits = [];
        if (drain.deadlineSeconds < grace) {
          hits.push({
            manifest: w.manifest,
            path,
            message: `drain.deadlineSeconds (${drain.deadlineSeconds}) is shorter than the grace period of ${w.kind} ${w.name} (${grace}s)`,
            hint: `Set drain.deadlineSeconds to at least ${grace}, or lower terminationGracePeriodSeconds.`,
          });
        }
        const longest = drain.maxStreamSeconds;
        const afterSigterm = Math.max(0, grace - preStop);
        if (longest !== undefined && longest > drain.deadlineSeconds + afterSigterm) {
          hits.push({
            manifest: w.manifest,
            path,
            message: `${w.kind} ${w.name} serves streams up to ${longest}s but can hold one for at most ${drain.deadlineSeconds + afterSigterm}s (drain deadline ${drain.deadlineSeconds}s + grace ${grace}s - preStop ${preStop}s): longer ones are cut`,
            hint: `Raise drain.deadlineSeconds to at least ${Math.ceil(longest - afterSigterm)}, or make the streams resumable (SSE Last-Event-ID, WebSocket resume, HTTP Range).`,
          });
        }
        return hits;
      });
  },
};
