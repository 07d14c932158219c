import type { RunStatus } from './run-status.js';
import type { RunState } from './run-state.js';
import { nextCommands } from './reasons.js';

/** How a call into the engine left the run. */
export interface RunOutcome {
  runId: string;
  status: RunStatus;
  reason?: string;
  /** The step that failed (or whose undo failed) when the run halted or rolled back. */
  failedStep?: string;
  /** The step waiting for a human when the run is paused. */
  pausedStep?: string;
  /** For halted and paused runs: what a human runs next, exactly. */
  next?: string[];
}

/** The outcome a run's state stands for. */
export function outcomeOf(state: RunState, failedStep?: string): RunOutcome {
  const outcome: RunOutcome = { runId: state.runId, status: state.status };
  if (state.reason !== undefined) outcome.reason = state.reason;
  const failed = failedStep ?? state.undoFailure?.stepId ?? state.failure?.stepId;
  if (failed !== undefined && state.status !== 'succeeded' && state.status !== 'running') outcome.failedStep = failed;
  if (state.status === 'paused' && state.paused !== undefined) outcome.pausedStep = state.paused.stepId;
  if (state.status === 'halted') outcome.next = [...nextCommands.halted(state.runId)];
  if (state.status === 'paused') outcome.next = [...nextCommands.paused(state.runId)];
  return outcome;
}
