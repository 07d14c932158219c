import type { PlannedStep } from '../engine/step.js';
import type { RunState } from '../engine/run-state.js';
import { isFinalStatus } from '../engine/run-status.js';
import type { ActionView } from './dashboard-backend.js';

const titleOf = (s: PlannedStep): string => `“${s.title}”`;
const list = (steps: PlannedStep[], max = 4): string =>
  steps.length <= max ? steps.map(titleOf).join(', ') : `${steps.slice(0, max).map(titleOf).join(', ')} and ${steps.length - max} more`;

/**
 * The Promote / Abort / Retry buttons of a run: allowed or not, and what each will do said in
 * plain words, the point of no return first. Pure, from the journal-derived state.
 */
export function runActions(state: RunState, live: boolean): ActionView[] {
  // A run still `running` in the journal is driven by some process: abort asks it to stop.
  live = live || state.status === 'running';
  return [promoteAction(state, live), abortAction(state, live), retryAction(state, live)];
}

function remainingAfter(state: RunState, stepId: string | undefined): PlannedStep[] {
  const at = state.steps.findIndex((s) => s.id === stepId);
  return state.steps.slice(at + 1).filter((s) => !(s.id in state.completed));
}

function promoteAction(state: RunState, live: boolean): ActionView {
  if (state.status === 'paused' && state.paused === undefined && state.pauseRequested !== undefined && !live) return continueAction(state);
  if (state.paused === undefined || isFinalStatus(state.status) || live) {
    return {
      kind: 'promote',
      allowed: false,
      consequence: isFinalStatus(state.status) ? `the run already ended ${state.status}` : 'nothing is waiting for approval',
    };
  }
  const paused = state.steps.find((s) => s.id === state.paused?.stepId);
  return promoteView(`Approves ${paused ? titleOf(paused) : state.paused.stepId} and runs`, remainingAfter(state, state.paused.stepId));
}

/** Promote's view: what it runs, and the point of no return among those steps, if any. */
function promoteView(what: string, rest: PlannedStep[]): ActionView {
  const irreversible = rest.find((s) => !s.reversible);
  const view: ActionView = {
    kind: 'promote',
    allowed: true,
    consequence: (
      `${what} the ${rest.length} remaining step${rest.length === 1 ? '' : 's'}${rest.length ? `: ${list(rest)}` : ''}. ` +
      (irreversible ? '' : 'Every one of them can still be undone: a failed gate after this rolls back automatically.')
    ).trim(),
  };
  if (irreversible) {
    view.pointOfNoReturn = `${titleOf(irreversible)} is the point of no return: once it completes, baton can no longer roll back on its own. A failure or an abort after it stops the run and undoes nothing.`;
  }
  return view;
}

/** A run a human paused between steps (`baton pause`): promote continues with its next step. */
function continueAction(state: RunState): ActionView {
  const by = state.pauseRequested?.by ? ` by ${state.pauseRequested.by}` : '';
  return promoteView(
    `Continues the run paused on request${by}: runs`,
    state.steps.filter((s) => !(s.id in state.completed)),
  );
}

function abortAction(state: RunState, live: boolean): ActionView {
  if (isFinalStatus(state.status)) return { kind: 'abort', allowed: false, consequence: `the run already ended ${state.status}` };
  const done = state.completedOrder
    .map((id) => state.steps.find((s) => s.id === id))
    .filter((s): s is PlannedStep => s !== undefined && !state.undone.includes(s.id));
  const how = live
    ? 'The run is live in another process: it is asked to stop, and does so at its next check (within about a second). '
    : '';
  if (state.pointOfNoReturn !== undefined) {
    const ponr = state.steps.find((s) => s.id === state.pointOfNoReturn);
    return {
      kind: 'abort',
      allowed: true,
      consequence: `${how}The run stops where it is and ends “aborted”. Nothing is undone; what is left must be finished by hand or by a new run.`,
      pointOfNoReturn: `The point of no return (${ponr ? titleOf(ponr) : state.pointOfNoReturn}) has already passed: abort cannot roll back.`,
    };
  }
  return {
    kind: 'abort',
    allowed: true,
    consequence: `${how}Rolls back: ${done.length ? `undoes the ${done.length} completed step${done.length === 1 ? '' : 's'} in reverse (${list([...done].reverse())})` : 'nothing was changed yet'}, so all traffic returns to the version that served before. The run ends “rolled-back”.`,
  };
}

function retryAction(state: RunState, live: boolean): ActionView {
  if (live || state.status !== 'halted') {
    return {
      kind: 'retry',
      allowed: false,
      consequence:
        state.status === 'paused' ? 'the run is paused: promote or abort it' : `the run is ${state.status}: there is nothing to retry`,
    };
  }
  const again = state.failure?.stepId ?? state.inFlight ?? state.undoInFlight ?? state.undoFailure?.stepId;
  const step = state.steps.find((s) => s.id === again);
  const view: ActionView = {
    kind: 'retry',
    allowed: true,
    consequence:
      state.undoFailure || state.undoInFlight
        ? `Continues the rollback: undoes ${step ? titleOf(step) : 'the interrupted step'} again, then the rest in reverse.`
        : `Runs ${step ? titleOf(step) : 'the interrupted step'} again and continues the run from there.`,
  };
  if (state.pointOfNoReturn !== undefined)
    view.pointOfNoReturn = 'The point of no return has passed: if this fails again, the run halts again; nothing is rolled back.';
  return view;
}
