import type { RunState } from '../engine/run-state.js';
import { isFinalStatus } from '../engine/run-status.js';
import { BatonError } from '../errors.js';
import { runActions } from './action-text.js';
import type { ActionKind } from './dashboard-backend.js';

/**
 * Refuses an action the run's current state does not allow, so a stale page cannot act on a
 * finished run: RUN_FINISHED, NOT_PAUSED (promote) or ACTION_NOT_POSSIBLE, with the reason the
 * button would show. Shared by every backend, so the page reads the same refusal everywhere.
 */
export function assertActionAllowed(state: RunState, kind: ActionKind): void {
  const action = runActions(state, false).find((a) => a.kind === kind);
  if (action?.allowed) return;
  const code = isFinalStatus(state.status) ? 'RUN_FINISHED' : kind === 'promote' ? 'NOT_PAUSED' : 'ACTION_NOT_POSSIBLE';
  throw new BatonError(code, `cannot ${kind} run ${state.runId}: ${action?.consequence ?? 'not possible now'}`, {
    hint: 'the page was out of date; it now shows the run as it is',
  });
}
