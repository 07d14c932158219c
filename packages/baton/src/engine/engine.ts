import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../json.js';
import { BatonError, isBatonError } from '../errors.js';
import type { PlannedStep } from './step.js';
import { validatePlan } from './validate-plan.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineEvent } from './engine-event.js';
import type { Journal, JournalEntry } from './journal.js';
import { deriveRunState, isRollingBack } from './run-state.js';
import type { RunState } from './run-state.js';
import { isFinalStatus } from './run-status.js';
import { outcomeOf } from './run-outcome.js';
import type { RunOutcome } from './run-outcome.js';
import { RunDriver } from './run-driver.js';
import { nextCommands } from './reasons.js';
import { silentLogger } from './run-context.js';

export type { EngineOptions } from './engine-options.js';
export type { RunOutcome } from './run-outcome.js';
export type { RunStatus } from './run-status.js';
export type { EngineEvent } from './engine-event.js';
export { validatePlan } from './validate-plan.js';

export interface StartRunOptions extends EngineOptions {
  /** Default: `<app>-<yyyymmdd>-<hhmmss>-<random>`. Must not exist yet. */
  runId?: string;
  app: string;
  namespace: string;
  steps: PlannedStep[];
  meta?: JsonObject;
}

/**
 * Starts a run of `steps` and drives it to its next resting state: succeeded, rolled-back,
 * paused or halted. Holds the app's lock for as long as it acts; throws RunLockedError (LOCKED)
 * when another run of the app is live, and BatonError PLAN_INVALID before writing anything when
 * the plan has duplicate step ids or kinds missing from the registry.
 */
export async function startRun(o: StartRunOptions): Promise<RunOutcome> {
  validatePlan(o.steps, o.registry);
  const now = o.now ?? Date.now;
  const runId = o.runId ?? newRunId(o.app, now());
  const holder = o.holder ?? defaultHolder();
  return withLock(o, { app: o.app, namespace: o.namespace }, holder, async (lost) => {
    if ((await o.journal.read(runId)).length > 0) {
      throw new BatonError('RUN_EXISTS', `run ${runId} already exists`, { hint: `resume it: baton resume ${runId}` });
    }
    const first: JournalEntry = {
      at: now(),
      runId,
      type: 'run-started',
      app: o.app,
      namespace: o.namespace,
      steps: o.steps,
      meta: o.meta ?? {},
      holder,
    };
    await o.journal.append(first);
    emit(o, first);
    return { driver: driver(o, deriveRunState([first]), lost) };
  });
}

/**
 * Continues a run that stopped: after a crash (an in-flight step runs again, an in-flight undo
 * continues), a halt (the failed step is retried after the point of no return; before it the
 * rollback continues) or a pause (the paused step runs again: promoting is `promoteRun`). A run
 * in a final state is returned as is, without taking the lock.
 */
export async function resumeRun(o: EngineOptions & { runId: string }): Promise<RunOutcome> {
  const known = await readState(o, o.runId);
  if (isFinalStatus(known.status)) return outcomeOf(known);
  const holder = o.holder ?? defaultHolder();
  return withLock(o, known, holder, async (lost) => {
    const state = await readState(o, o.runId);
    if (isFinalStatus(state.status)) return { outcome: outcomeOf(state) };
    validatePlan(state.steps, o.registry);
    const d = driver(o, state, lost);
    await d.record({ type: 'run-resumed', holder });
    return { driver: d };
  });
}

/**
 * Aborts a stopped run (paused, halted, or left running by a crash). Before the point of no
 * return it rolls back (`rolled-back`); after it the run ends `aborted`, nothing undone, and the
 * reason says so. A live run's lock makes this throw LOCKED: cancel that process instead (its
 * SIGINT rolls back). Throws RUN_FINISHED for a run already in a final state.
 */
export async function abortRun(o: EngineOptions & { runId: string; reason: string }): Promise<RunOutcome> {
  const known = await readState(o, o.runId);
  assertNotFinal(known, 'abort');
  const holder = o.holder ?? defaultHolder();
  return withLock(o, known, holder, async (lost) => {
    const state = await readState(o, o.runId);
    assertNotFinal(state, 'abort');
    validatePlan(state.steps, o.registry);
    const d = driver(o, state, lost);
    await d.record({ type: 'abort-requested', reason: o.reason, by: holder });
    return { driver: d };
  });
}

/**
 * Approves a paused run's paused step (it counts as done) and continues after it. A run paused at
 * a human's request (`requestPause`) has no step waiting: it continues with its next step.
 */
export async function promoteRun(o: EngineOptions & { runId: string }): Promise<RunOutcome> {
  const known = await readState(o, o.runId);
  assertPaused(known);
  const holder = o.holder ?? defaultHolder();
  return withLock(o, known, holder, async (lost) => {
    const state = await readState(o, o.runId);
    const paused = assertPaused(state);
    validatePlan(state.steps, o.registry);
    const d = driver(o, state, lost);
    await d.record(paused === undefined ? { type: 'run-resumed', holder } : { type: 'promoted', stepId: paused, by: holder });
    return { driver: d };
  });
}

/** A request written into a live run's journal by another process (a second terminal, a dashboard). */
export interface HumanRequest {
  journal: Journal;
  runId: string;
  reason: string;
  /** Who asks (journaled). Default `baton pid N on HOST`. */
  by?: string;
  now?: () => number;
}

/**
 * Asks a run that is live in another process (its lock is held) to abort: appends
 * `abort-requested` to its journal; the live run notices within `abortPollMs`, cancels its step
 * and rolls back (or ends `aborted` after the point of no return). Needs a journal both
 * processes share. For a stopped run use `abortRun`, which acts itself. Throws RUN_NOT_FOUND /
 * RUN_FINISHED.
 */
export async function requestAbort(o: HumanRequest): Promise<void> {
  const state = await readState(o, o.runId);
  assertNotFinal(state, 'abort');
  await o.journal.append({
    at: (o.now ?? Date.now)(),
    runId: o.runId,
    type: 'abort-requested',
    reason: o.reason,
    by: o.by ?? defaultHolder(),
  });
}

/**
 * Asks a run that is live in another process to pause: appends `pause-requested` to its journal;
 * the live run reads it at its next step boundary (the step in flight finishes first) and stops
 * `paused`, to be continued by `promoteRun` or `resumeRun`. Throws RUN_NOT_FOUND, RUN_FINISHED,
 * and NOT_RUNNING for a run that is not running (paused, halted) or is rolling back.
 */
export async function requestPause(o: HumanRequest): Promise<void> {
  assertPausable(await readState(o, o.runId));
  await o.journal.append({
    at: (o.now ?? Date.now)(),
    runId: o.runId,
    type: 'pause-requested',
    reason: o.reason,
    by: o.by ?? defaultHolder(),
  });
}

/** Throws (RUN_FINISHED, NOT_RUNNING) unless the run is running forward: what `requestPause` demands. */
export function assertPausable(state: RunState): void {
  assertNotFinal(state, 'pause');
  if (state.status !== 'running') {
    throw new BatonError('NOT_RUNNING', `run ${state.runId} is ${state.status}, not running: there is nothing to pause`, {
      hint: nextCommands[state.status === 'paused' ? 'paused' : 'halted'](state.runId).join(' or '),
    });
  }
  if (isRollingBack(state)) {
    throw new BatonError('NOT_RUNNING', `run ${state.runId} is rolling back: a rollback is never paused half way`, {
      hint: `follow it with: baton status ${state.runId} --watch`,
    });
  }
}

type Prepared = { driver: RunDriver; outcome?: undefined } | { outcome: RunOutcome; driver?: undefined };

/**
 * Takes the lock, renews it while the prepared driver runs, and always releases it. `lost`
 * aborts when a renewal fails: the driver then stops writing and cancels the step in flight.
 */
async function withLock(
  o: EngineOptions,
  target: { app: string; namespace: string },
  holder: string,
  prepare: (lost: AbortSignal) => Promise<Prepared>,
): Promise<RunOutcome> {
  const handle = await o.lock.acquire({ app: target.app, namespace: target.namespace }, holder);
  const lost = new AbortController();
  const timer = setInterval(() => {
    handle.renew().catch((error: unknown) => {
      if (!lost.signal.aborted) lost.abort(error);
    });
  }, o.lockRenewMs ?? 10_000);
  // Not unref'd: a live run keeps the process alive; the finally below always clears it.
  let runId: string | undefined;
  let failed = false;
  try {
    const prepared = await prepare(lost.signal);
    if (prepared.outcome !== undefined) return prepared.outcome;
    runId = prepared.driver.runId;
    return await prepared.driver.drive();
  } catch (error) {
    failed = true;
    throw runId !== undefined && lostTheWorld(error) ? runInterrupted(runId, error) : error;
  } finally {
    clearInterval(timer);
    // Releasing must not hide why the run stopped: an unreachable cluster fails both.
    await handle.release().catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

/** The cluster or the database stopped answering: the run cannot act, and cannot say so either. */
function lostTheWorld(error: unknown): error is BatonError {
  return isBatonError(error) && (error.code === 'KUBE_UNREACHABLE' || error.code === 'DB_UNREACHABLE');
}

/**
 * What a run that lost the cluster mid-way is: interrupted, not "nothing was changed". Its steps
 * so far are in the journal; the run stays `running` there, with no live lock holder, which
 * `baton status` shows as interrupted, and `baton resume` continues once the cluster answers.
 */
function runInterrupted(runId: string, cause: BatonError): BatonError {
  return new BatonError(
    'RUN_INTERRUPTED',
    `${cause.message}\nrun ${runId} stopped where it was and is interrupted: the steps it ran are in its journal, and nothing was undone`,
    { cause, hint: `once it answers again, continue the run with \`baton resume ${runId}\`, or give it up with \`baton abort ${runId}\`` },
  );
}

function driver(o: EngineOptions, state: RunState, lost: AbortSignal): RunDriver {
  return new RunDriver(
    {
      journal: o.journal,
      registry: o.registry,
      probe: o.probe,
      log: o.log ?? silentLogger,
      now: o.now ?? Date.now,
      delay: o.delay ?? ((ms, signal) => sleep(ms, undefined, signal === undefined ? {} : { signal })),
      emit: (event) => emit(o, event),
      signal: o.signal,
      lockLost: lost,
      abortPollMs: o.abortPollMs ?? 1000,
      ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
    },
    state,
  );
}

async function readState(o: { journal: Journal }, runId: string): Promise<RunState> {
  const entries = await o.journal.read(runId);
  if (entries.length === 0) {
    throw new BatonError('RUN_NOT_FOUND', `no run ${runId} in the journal`, { hint: 'list runs with: baton releases' });
  }
  return deriveRunState(entries);
}

/** RUN_FINISHED (exit 2) for a run in a final state: nothing more can be done to it. */
export function assertNotFinal(state: RunState, action: string): void {
  if (isFinalStatus(state.status)) {
    throw new BatonError('RUN_FINISHED', `cannot ${action} run ${state.runId}: it already ended ${state.status}`, {
      hint: state.status === 'succeeded' ? 'to go back, start a rollback run (baton rollback)' : undefined,
    });
  }
}

/**
 * Returns the paused step's id, undefined for a pause a human asked for (no step waits). A crash
 * right after a step paused leaves `running` with a paused step.
 */
function assertPaused(state: RunState): string | undefined {
  if (state.status === 'paused' && state.paused === undefined && state.pauseRequested !== undefined) return undefined;
  if (state.paused === undefined || (state.status !== 'paused' && state.status !== 'running')) {
    throw new BatonError('NOT_PAUSED', `run ${state.runId} is ${state.status}, not paused: nothing to promote`);
  }
  return state.paused.stepId;
}

function emit(o: EngineOptions, event: EngineEvent): void {
  try {
    o.onEvent?.(event);
  } catch {
    // A broken listener (a terminal UI) must never break a run.
  }
}

/** `<app>-<yyyymmdd>-<hhmmss>-<random>`, the app name made safe for file and object names. */
export function newRunId(app: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const safeApp = app.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80) || 'run';
  return `${safeApp}-${stamp}-${randomBytes(2).toString('hex')}`;
}

function defaultHolder(): string {
  return `baton pid ${process.pid} on ${hostname()}`;
}
