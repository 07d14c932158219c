import { plannedStep } from '../engine/step-kind.js';
import type { PlannedStep } from '../engine/step.js';
import type { RecordedRelease } from '../kube/release-history.js';
import { recordReleaseStep } from '../strategies/steps/record-release-step.js';

/**
 * The last step of every rollback plan: the history gains an entry for the target release, marked
 * as the rollback of the current one (and of which revision), so `baton history` tells a roll
 * back from a new release. The template and revision are not copied: the entry gets its own.
 */
export function recordRollbackStep(target: RecordedRelease, current: RecordedRelease): PlannedStep {
  return plannedStep(recordReleaseStep, {
    id: 'release:record',
    reversible: true,
    title: `Record the rollback to ${target.version}`,
    params: { entry: { ...target, template: undefined, revision: undefined, rollbackOf: current.version, rollbackTo: target.revision } },
  });
}
