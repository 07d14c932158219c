import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { createApplyObjectsStep } from './apply-objects-step.js';
import { createAwaitOldPodsStep } from './await-old-pods-step.js';
import { createConfigSnapshotStep } from './config-snapshot-step.js';
import { createDeleteReleaseStep } from './delete-release-step.js';
import { createExecBackupStep } from './exec-backup-step.js';
import { createRecordReleaseStep } from './record-release-step.js';
import { createRolloutStep } from './rollout-step.js';
import { createScaleStep } from './scale-step.js';
import { createPauseStep } from './pause-step.js';
import { createSetHeaderRouteStep } from './set-header-route-step.js';
import { createSetWeightStep } from './set-weight-step.js';
import { createSwitchSelectorStep } from './switch-selector-step.js';
import { createVerifyStep } from './verify-step.js';

/** Every Kubernetes step kind the strategies plan, bound to one client. */
export function kubeStepKinds(kube: KubeClient): Record<string, StepKind> {
  const kinds = [
    createApplyObjectsStep(kube), createAwaitOldPodsStep(kube), createConfigSnapshotStep(kube), createDeleteReleaseStep(kube), createExecBackupStep(kube), createRecordReleaseStep(kube), createRolloutStep(kube),
    createScaleStep(kube), createSwitchSelectorStep(kube), createVerifyStep(kube),
    createSetWeightStep(kube), createSetHeaderRouteStep(kube), createPauseStep(),
  ];
  return Object.fromEntries(kinds.map((k) => [k.kind, k]));
}
