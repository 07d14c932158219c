import type { JsonObject } from '../json.js';
import type { PlannedStep } from './step.js';
import type { JournalEntry } from './journal.js';
import type { RunStatus } from './run-status.js';

/** A step that failed (result `failed` or threw) and was not run again since. */
export interface StepFailure {
  stepId: string;
  reason: string;
}

/**
 * Everything the engine needs to decide its next action, derived from the journal alone. The
 * engine holds no other state, which is what makes a resume after SIGKILL reach the same end.
 */
export interface RunState {
  runId: string;
  app: string;
  namespace: string;
  steps: PlannedStep[];
  meta: JsonObject;
  startedAt: number;
  updatedAt: number;
  /** `running` from the first entry until `run-finished`, and again after `run-resumed`. */
  status: RunStatus;
  /** The last `run-finished` reason (why it halted, paused, rolled back...). */
  reason: string | undefined;
  /** Step ids in the order they first started. Undo walks this list backwards. */
  started: string[];
  /** Completed steps' result data by id, in completion order (promoted steps count, with `{}`). */
  completed: Record<string, JsonObject>;
  completedOrder: string[];
  /** Started and neither finished nor errored: the process stopped mid-step. */
  inFlight: string | undefined;
  failure: StepFailure | undefined;
  /** The step waiting for a human, until promoted, resumed or aborted. */
  paused: { stepId: string; reason: string } | undefined;
  /** Set once an irreversible step completed: from then on nothing is undone. */
  pointOfNoReturn: string | undefined;
  abortRequested: string | undefined;
  /**
   * A human asked the live run to pause (`baton pause`): it stops `paused` before its next step,
   * with no step waiting (`paused` stays undefined); promote or resume continues with that step.
   */
  pauseRequested: { reason: string; by: string | undefined } | undefined;
  /** Checkpoints of each step, merged in order (later keys win). */
  checkpoints: Record<string, JsonObject>;
  /** Steps whose undo finished without error. */
  undone: string[];
  /** Undo started and not finished: the process stopped mid-undo. */
  undoInFlight: string | undefined;
  /** The last undo that threw, until that undo is started again. */
  undoFailure: { stepId: string; error: string } | undefined;
}

export function pointOfNoReturnPassed(state: RunState): boolean {
  return state.pointOfNoReturn !== undefined;
}

/** Rolling back: something went wrong (or a human aborted) before the point of no return. */
export function isRollingBack(state: RunState): boolean {
  return !pointOfNoReturnPassed(state) && (state.failure !== undefined || state.abortRequested !== undefined);
}

/** Folds a run's journal into its state. Pure; throws only when the journal has no run-started. */
export function deriveRunState(entries: readonly JournalEntry[]): RunState {
  const first = entries[0];
  if (first === undefined || first.type !== 'run-started') {
    throw new Error('a run journal must begin with run-started');
  }
  let state: RunState = {
    runId: first.runId,
    app: first.app,
    namespace: first.namespace,
    steps: first.steps,
    meta: first.meta,
    startedAt: first.at,
    updatedAt: first.at,
    status: 'running',
    reason: undefined,
    started: [],
    completed: {},
    completedOrder: [],
    inFlight: undefined,
    failure: undefined,
    paused: undefined,
    pointOfNoReturn: undefined,
    abortRequested: undefined,
    pauseRequested: undefined,
    checkpoints: {},
    undone: [],
    undoInFlight: undefined,
    undoFailure: undefined,
  };
  for (const entry of entries.slice(1)) state = applyEntry(state, entry);
  return state;
}

/** One transition. Returns a new state; never mutates its input. */
export function applyEntry(previous: RunState, entry: JournalEntry): RunState {
  const s: RunState = { ...previous, updatedAt: entry.at };
  switch (entry.type) {
    case 'run-started':
      return s;
    case 'run-resumed':
      // A human resumed: a paused step is run again (never skipped: that is `promoted`), and a
      // failure after the point of no return is retried. Before it, a failure keeps the run
      // rolling back: resume continues the rollback. A pause asked for is answered once the run
      // stopped for anything; a run taken over after a crash still owes it.
      return {
        ...s,
        status: 'running',
        reason: undefined,
        paused: undefined,
        pauseRequested: s.status === 'running' ? s.pauseRequested : undefined,
        failure: s.pointOfNoReturn === undefined ? s.failure : undefined,
      };
    case 'step-started':
      return {
        ...s,
        status: 'running',
        started: s.started.includes(entry.stepId) ? s.started : [...s.started, entry.stepId],
        inFlight: entry.stepId,
        // Running a step again supersedes its earlier failure or pause.
        failure: s.failure?.stepId === entry.stepId ? undefined : s.failure,
        paused: s.paused?.stepId === entry.stepId ? undefined : s.paused,
      };
    case 'step-checkpoint':
      return {
        ...s,
        checkpoints: { ...s.checkpoints, [entry.stepId]: { ...s.checkpoints[entry.stepId], ...entry.data } },
      };
    case 'step-finished': {
      const base = { ...s, inFlight: s.inFlight === entry.stepId ? undefined : s.inFlight };
      const result = entry.result;
      if (result.kind === 'done') return complete(base, entry.stepId, result.data ?? {});
      if (result.kind === 'failed') return { ...base, failure: { stepId: entry.stepId, reason: result.reason } };
      return { ...base, paused: { stepId: entry.stepId, reason: result.reason } };
    }
    case 'step-error':
      return {
        ...s,
        inFlight: s.inFlight === entry.stepId ? undefined : s.inFlight,
        failure: { stepId: entry.stepId, reason: entry.error },
      };
    case 'promoted':
      if (s.paused?.stepId !== entry.stepId) return s;
      return complete({ ...s, status: 'running', reason: undefined, paused: undefined, pauseRequested: undefined }, entry.stepId, {});
    case 'abort-requested':
      return { ...s, status: 'running', abortRequested: entry.reason };
    case 'pause-requested':
      return { ...s, pauseRequested: { reason: entry.reason, by: entry.by } };
    case 'undo-started':
      return {
        ...s,
        undoInFlight: entry.stepId,
        undoFailure: s.undoFailure?.stepId === entry.stepId ? undefined : s.undoFailure,
      };
    case 'undo-finished': {
      const base = { ...s, undoInFlight: s.undoInFlight === entry.stepId ? undefined : s.undoInFlight };
      if (entry.error !== undefined) return { ...base, undoFailure: { stepId: entry.stepId, error: entry.error } };
      return { ...base, undone: s.undone.includes(entry.stepId) ? s.undone : [...s.undone, entry.stepId] };
    }
    case 'run-finished':
      return { ...s, status: entry.status, reason: entry.reason };
  }
}

function complete(s: RunState, stepId: string, data: JsonObject): RunState {
  const step = s.steps.find((candidate) => candidate.id === stepId);
  const irreversible = step !== undefined && !step.reversible;
  return {
    ...s,
    completed: { ...s.completed, [stepId]: data },
    completedOrder: s.completedOrder.includes(stepId) ? s.completedOrder : [...s.completedOrder, stepId],
    pointOfNoReturn: s.pointOfNoReturn ?? (irreversible ? stepId : undefined),
  };
}
