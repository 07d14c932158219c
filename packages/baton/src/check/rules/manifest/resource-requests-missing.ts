import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

/**
 * Without requests the scheduler may pack the surge pods of a rollout onto a full node, where
 * they start slowly or get evicted first (BestEffort QoS).
 */
export const resourceRequestsMissing: ManifestRule = {
  severity: 'info',
  summary: 'container without resource requests',
  check: (manifests) =>
    workloads(manifests).flatMap((w) =>
      w.containers
        .filter((c) => valueAt(c.container, ['resources', 'requests']) === undefined)
        .map((c) => ({
          manifest: w.manifest,
          path: c.path,
          message: `container ${c.name} of ${w.kind} ${w.name} has no resources.requests: its pods are scheduled blind and evicted first under pressure`,
          hint: `Set resources.requests (cpu, memory) on container ${c.name} from its observed usage.`,
        })),
    ),
};
