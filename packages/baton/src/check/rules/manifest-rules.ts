import type { ManifestRule } from '../manifest/manifest-rule.js';
import { imageTagUnpinned } from './manifest/image-tag-unpinned.js';
import { livenessEqualsReadiness } from './manifest/liveness-equals-readiness.js';
import { pdbMissing } from './manifest/pdb-missing.js';
import { prestopExceedsGrace } from './manifest/prestop-exceeds-grace.js';
import { prestopMissing } from './manifest/prestop-missing.js';
import { probePortMismatch } from './manifest/probe-port-mismatch.js';
import { readinessProbeMissing } from './manifest/readiness-probe-missing.js';
import { recreateStrategy } from './manifest/recreate-strategy.js';
import { resourceRequestsMissing } from './manifest/resource-requests-missing.js';
import { rollingUpdateCapacity } from './manifest/rolling-update-capacity.js';
import { serviceSelectorUnmatched } from './manifest/service-selector-unmatched.js';
import { singleReplica } from './manifest/single-replica.js';
import { streamDrainCapacity } from './manifest/stream-drain-capacity.js';
import { workloadSelectorMismatch } from './manifest/workload-selector-mismatch.js';

/** Every manifest rule by id (the seed's zero-downtime checklist). One file and one entry per rule. */
export const manifestRules = {
  'readiness-probe-missing': readinessProbeMissing,
  'rolling-update-capacity': rollingUpdateCapacity,
  'recreate-strategy': recreateStrategy,
  'prestop-missing': prestopMissing,
  'prestop-exceeds-grace': prestopExceedsGrace,
  'image-tag-unpinned': imageTagUnpinned,
  'pdb-missing': pdbMissing,
  'probe-port-mismatch': probePortMismatch,
  'liveness-equals-readiness': livenessEqualsReadiness,
  'single-replica': singleReplica,
  'resource-requests-missing': resourceRequestsMissing,
  'workload-selector-mismatch': workloadSelectorMismatch,
  'service-selector-unmatched': serviceSelectorUnmatched,
  'stream-drain-capacity': streamDrainCapacity,
} satisfies Record<string, ManifestRule>;

export type ManifestRuleId = keyof typeof manifestRules;
