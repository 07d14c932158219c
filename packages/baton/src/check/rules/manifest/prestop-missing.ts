import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';
import { gracePeriodSeconds } from '../../../kube/termination-timing.js';

/**
 * SIGTERM and the endpoint removal race: kube-proxies and ingresses learn that a pod is gone a
 * few seconds after it got SIGTERM. Without a preStop pause, a pod that exits promptly drops the
 * requests still routed to it.
 */
export const prestopMissing: ManifestRule = {
  severity: 'warning',
  summary: 'no preStop hook: requests routed during endpoint propagation are dropped',
  check: (manifests) =>
    workloads(manifests)
      .filter((w) => w.kind !== 'DaemonSet')
      .flatMap((w) =>
        w.containers
          .filter((c) => valueAt(c.container, ['lifecycle', 'preStop']) === undefined)
          .map((c) => ({
            manifest: w.manifest,
            path: c.path,
            message: `container ${c.name} of ${w.kind} ${w.name} has no preStop hook (grace period ${gracePeriodSeconds(w.podSpec)}s): it gets SIGTERM while load balancers still send it requests`,
            hint: `Add lifecycle.preStop: { sleep: { seconds: 5 } } (or exec: ["sleep", "5"]) to container ${c.name}, shorter than terminationGracePeriodSeconds, and drain in-flight requests on SIGTERM.`,
          })),
      ),
};
