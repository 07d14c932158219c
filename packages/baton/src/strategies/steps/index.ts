import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { createApplyObjectsStep } from './apply-objects-step.js';
import { createAwaitOldPodsStep } from './await-old-pods-step.js';
import { createConfigSnapshotStep } from './config-snapshot-step.js';
import { createDeleteReleaseStep } from './delete-release-step.js';
import { createDrainByEvidenceStep } from './drain-by-evidence-step.js';
import { createExecBackupStep } from './exec-backup-step.js';
import { createRecordReleaseStep } from './record-release-step.js';
import { createRolloutStep } from './rollout-step.js';
import { createScaleStep } from './scale-step.js';
import { createPauseStep } from './pause-step.js';
import { createSetHeaderRouteStep } from './set-header-route-step.js';
import { createSetWeightStep } from './set-weight-step.js';
import { createSwitchSelectorStep } from './switch-selector-step.js';
import { createVerifyStep } from './verify-step.js';
import { createVerifyServiceTargetsStep } from './verify-service-targets-step.js';

/** What a step kind is, beside what it does: read by the report without a cluster at hand. */
export interface StepKindTraits {
  /** It starts new pods or moves requests to them: its span is the run's "rollout time". */
  movesTraffic: boolean;
}

/** Every Kubernetes step kind: its traits and how to bind it to a client. Adding one is a file and an entry. */
const kubeStepKindEntries = {
  'apply-objects': { movesTraffic: false, create: createApplyObjectsStep },
  'await-old-pods': { movesTraffic: false, create: createAwaitOldPodsStep },
  'config-snapshot': { movesTraffic: false, create: createConfigSnapshotStep },
  'delete-release': { movesTraffic: false, create: createDeleteReleaseStep },
  'exec-backup': { movesTraffic: false, create: createExecBackupStep },
  'record-release': { movesTraffic: false, create: createRecordReleaseStep },
  rollout: { movesTraffic: true, create: createRolloutStep },
  scale: { movesTraffic: true, create: createScaleStep },
  'switch-selector': { movesTraffic: true, create: createSwitchSelectorStep },
  verify: { movesTraffic: false, create: createVerifyStep },
  'set-weight': { movesTraffic: true, create: createSetWeightStep },
  'set-header-route': { movesTraffic: true, create: createSetHeaderRouteStep },
  pause: { movesTraffic: false, create: () => createPauseStep() },
  'verify-service-targets': { movesTraffic: false, create: createVerifyServiceTargetsStep },
  // Takes old pods away (when their connections read 0), but moves no traffic to new ones.
  'drain-by-evidence': { movesTraffic: false, create: createDrainByEvidenceStep },
} satisfies Record<string, StepKindTraits & { create: (kube: KubeClient) => StepKind }>;

export type KubeStepKindName = keyof typeof kubeStepKindEntries;

/** The kinds whose span is rollout time, derived from the entries above (never a separate list). */
export const trafficMovingKinds: ReadonlySet<string> = new Set(
  Object.entries(kubeStepKindEntries)
    .filter(([, entry]) => entry.movesTraffic)
    .map(([kind]) => kind),
);

/** Every Kubernetes step kind the strategies plan, bound to one client. */
export function kubeStepKinds(kube: KubeClient): Record<string, StepKind> {
  const kinds: Record<string, StepKind> = {};
  for (const [name, entry] of Object.entries(kubeStepKindEntries)) {
    const kind = entry.create(kube);
    if (kind.kind !== name) throw new Error(`step kind registered as ${name} calls itself ${kind.kind}`);
    kinds[name] = kind;
  }
  return kinds;
}
