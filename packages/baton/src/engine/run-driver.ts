import type { JsonObject } from '../json.js';
import { BatonError } from '../errors.js';
import type { Logger, PlannedStep, ProbeReader, StepKind, StepRegistry, StepResult } from './step.js';
import type { Journal, JournalEntry, JournalEvent } from './journal.js';
import type { RunStatus } from './run-status.js';
import type { EngineEvent } from './engine-event.js';
import type { RunState } from './run-state.js';
import { applyEntry, isRollingBack } from './run-state.js';
import { createRunContext } from './run-context.js';
import { outcomeOf } from './run-outcome.js';
import type { RunOutcome } from './run-outcome.js';
import { reasons } from './reasons.js';

export interface RunDriverOptions {
  journal: Journal;
  registry: StepRegistry;
  probe: ProbeReader | undefined;
  log: Logger;
  now: () => number;
  delay: (ms: number, signal?: AbortSignal) => Promise<void>;
  emit: (event: EngineEvent) => void;
  /** The caller's cancellation (SIGINT). */
  signal: AbortSignal | undefined;
  /** Aborted when the lock is lost: from then on the driver must not write or act. */
  lockLost: AbortSignal;
  /** How often the journal is read for `abort-requested` entries written by others. */
  abortPollMs: number;
  /** Forward steps to start before returning with the run still `running`. */
  maxSteps?: number;
}

/**
 * Drives one run from whatever state its journal is in to the next resting state (final,
 * paused or halted). Every decision is taken from `RunState` alone, recomputed after each
 * journal entry, so a fresh process given the same journal makes the same decisions.
 */
export class RunDriver {
  private state: RunState;
  /** abort-requested entries this driver knows of (its own, and others' it has folded in). */
  private abortsSeen: number | undefined;
  /** Aborted when another process asked this live run to abort (see `requestAbort`). */
  private readonly remoteAbort = new AbortController();
  private stepsStarted = 0;

  constructor(
    private readonly o: RunDriverOptions,
    state: RunState,
  ) {
    this.state = state;
  }

  get runId(): string {
    return this.state.runId;
  }

  get current(): RunState {
    return this.state;
  }

  /** Appends an entry (durably), folds it into the state and tells listeners. */
  async record(event: JournalEvent): Promise<void> {
    this.checkLock();
    const entry = { at: this.o.now(), runId: this.state.runId, ...event } as JournalEntry;
    if (entry.type === 'abort-requested' && this.abortsSeen !== undefined) this.abortsSeen += 1;
    await this.o.journal.append(entry);
    this.state = applyEntry(this.state, entry);
    this.o.emit(entry);
  }

  async drive(): Promise<RunOutcome> {
    this.abortsSeen = countAborts(await this.o.journal.read(this.state.runId));
    const poll = setInterval(() => void this.pollAbortRequests().catch(() => undefined), this.o.abortPollMs);
    try {
      return await this.loop();
    } finally {
      clearInterval(poll);
    }
  }

  /**
   * Another process (`requestAbort`: a second terminal, a dashboard) may append an abort
   * request to this live run's journal. It is folded in and cancels the step in flight; the
   * loop then rolls back, or ends `aborted` after the point of no return, as `abortRun` would.
   */
  private async pollAbortRequests(): Promise<void> {
    if (this.abortsSeen === undefined || this.remoteAbort.signal.aborted) return;
    const entries = await this.o.journal.read(this.state.runId);
    if (countAborts(entries) <= this.abortsSeen) return;
    const request = entries.filter((entry) => entry.type === 'abort-requested').at(-1);
    if (request === undefined || this.remoteAbort.signal.aborted) return;
    this.abortsSeen = countAborts(entries);
    this.state = applyEntry(this.state, request);
    this.o.emit(request);
    this.remoteAbort.abort(request.type === 'abort-requested' ? request.reason : 'abort requested');
  }

  /**
   * The pause asked for, if any: the journal is read at each step boundary (not polled), so a
   * request written while a step runs stops the run right after that step, deterministically.
   */
  private async pauseRequest(): Promise<RunState['pauseRequested']> {
    if (this.state.pauseRequested !== undefined) return this.state.pauseRequested;
    const entries = await this.o.journal.read(this.state.runId);
    const lastAnswer = entries.findLastIndex((entry) => entry.type === 'run-resumed' || entry.type === 'promoted');
    const request = entries.slice(lastAnswer + 1).findLast((entry) => entry.type === 'pause-requested');
    if (request === undefined) return undefined;
    this.state = applyEntry(this.state, request);
    this.o.emit(request);
    return this.state.pauseRequested;
  }

  private async loop(): Promise<RunOutcome> {
    for (;;) {
      const s = this.state;
      const ponr = s.pointOfNoReturn;
      if (this.o.signal?.aborted && s.abortRequested === undefined) {
        const why = describeAbort(this.o.signal);
        // Before the point of no return an interruption rolls back; after it, nothing may be
        // undone, so the run halts where it is and a human resumes or aborts.
        if (ponr !== undefined) {
          return this.finish('halted', reasons.interruptedAfterPointOfNoReturn(why, ponr), s.failure?.stepId);
        }
        await this.record({ type: 'abort-requested', reason: why });
        continue;
      }
      if (isRollingBack(s)) return this.rollback();
      if (ponr !== undefined && s.abortRequested !== undefined) {
        return this.finish('aborted', reasons.abortedAfterPointOfNoReturn(s.abortRequested, ponr));
      }
      if (ponr !== undefined && s.failure !== undefined) {
        const { stepId, reason } = s.failure;
        return this.finish('halted', reasons.haltedAfterPointOfNoReturn(stepId, reason, ponr), stepId);
      }
      if (s.paused !== undefined) return this.finish('paused', reasons.paused(s.paused.stepId, s.paused.reason));
      const next = s.steps.find((step) => !(step.id in s.completed));
      if (next === undefined) return this.finish('succeeded');
      if (this.o.maxSteps !== undefined && this.stepsStarted >= this.o.maxSteps) return outcomeOf(this.state);
      // A step boundary: where a pause asked for by another process (`requestPause`) takes effect.
      const pause = await this.pauseRequest();
      if (pause !== undefined) return this.finish('paused', reasons.pausedOnRequest(next.id, pause.reason, pause.by));
      this.stepsStarted += 1;
      await this.runStep(next);
    }
  }

  private async runStep(step: PlannedStep): Promise<void> {
    const kind = this.kindOf(step);
    await this.record({ type: 'step-started', stepId: step.id });
    const controller = new AbortController();
    const cancel = (source: AbortSignal) => controller.abort(source.reason);
    const unlink = link([this.o.signal, this.o.lockLost, this.remoteAbort.signal], cancel);
    let result: StepResult;
    try {
      result = await kind.run(this.contextFor(step.id, controller.signal), step);
    } catch (error) {
      this.checkLock();
      await this.record({ type: 'step-error', stepId: step.id, error: messageOf(error) });
      return;
    } finally {
      unlink();
    }
    if (!isStepResult(result)) {
      await this.record({ type: 'step-error', stepId: step.id, error: reasons.badResult(step.id) });
      return;
    }
    await this.record({ type: 'step-finished', stepId: step.id, result });
  }

  /** Undoes every started step, newest first, including the failed or interrupted one. */
  private async rollback(): Promise<RunOutcome> {
    // Undo runs to completion even when the run was cancelled: a half rollback is the worst
    // state to leave. Only losing the lock stops it (another process owns the run then).
    const signal = this.o.lockLost;
    const todo = [...this.state.started].reverse().filter((id) => !this.state.undone.includes(id));
    for (const stepId of todo) {
      const step = this.stepById(stepId);
      const kind = this.kindOf(step);
      if (kind.undo === undefined) continue;
      await this.record({ type: 'undo-started', stepId });
      try {
        await kind.undo(this.contextFor(stepId, signal), step, this.state.checkpoints[stepId] ?? {});
      } catch (error) {
        this.checkLock();
        const message = messageOf(error);
        await this.record({ type: 'undo-finished', stepId, error: message });
        return this.finish('halted', reasons.undoFailed(stepId, message), stepId);
      }
      await this.record({ type: 'undo-finished', stepId });
    }
    const { failure, abortRequested } = this.state;
    // An abort explains a failure that follows it (a cancelled step fails), so it comes first.
    const reason =
      abortRequested !== undefined ? reasons.aborted(abortRequested) : reasons.stepFailed(failure?.stepId ?? '?', failure?.reason ?? '?');
    return this.finish('rolled-back', reason, failure?.stepId);
  }

  private async finish(status: RunStatus, reason?: string, failedStep?: string): Promise<RunOutcome> {
    const event: JournalEvent = { type: 'run-finished', status };
    if (reason !== undefined) event.reason = reason;
    if (failedStep !== undefined) event.failedStep = failedStep;
    await this.record(event);
    return outcomeOf(this.state, failedStep);
  }

  private contextFor(stepId: string, signal: AbortSignal) {
    return createRunContext({
      state: this.state,
      stepId,
      signal,
      log: this.o.log,
      probe: this.o.probe,
      now: this.o.now,
      delay: this.o.delay,
      progress: (message, fraction) => {
        const event: EngineEvent = { type: 'step-progress', runId: this.state.runId, stepId, at: this.o.now(), message };
        if (fraction !== undefined) event.fraction = fraction;
        this.o.emit(event);
      },
      checkpoint: (data: JsonObject) => this.record({ type: 'step-checkpoint', stepId, data: structuredClone(data) }),
      checkpoints: () => structuredClone(this.state.checkpoints[stepId] ?? {}),
    });
  }

  private stepById(stepId: string): PlannedStep {
    const step = this.state.steps.find((candidate) => candidate.id === stepId);
    if (step === undefined) throw new BatonError('JOURNAL_CORRUPT', `run ${this.state.runId}: step ${stepId} is not in its plan`);
    return step;
  }

  private kindOf(step: PlannedStep): StepKind {
    const kind = this.o.registry[step.kind];
    if (kind === undefined) throw new BatonError('UNKNOWN_STEP_KIND', `no step kind ${step.kind} (step ${step.id})`);
    return kind;
  }

  private checkLock(): void {
    if (this.o.lockLost.aborted) throw this.o.lockLost.reason;
  }
}

function countAborts(entries: readonly JournalEntry[]): number {
  return entries.filter((entry) => entry.type === 'abort-requested').length;
}

function link(signals: (AbortSignal | undefined)[], onAbort: (source: AbortSignal) => void): () => void {
  const cleanups: (() => void)[] = [];
  for (const signal of signals) {
    if (signal === undefined) continue;
    if (signal.aborted) {
      onAbort(signal);
      continue;
    }
    const listener = () => onAbort(signal);
    signal.addEventListener('abort', listener, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', listener));
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}

function describeAbort(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'cancelled';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isStepResult(value: unknown): value is StepResult {
  const kind = (value as { kind?: unknown } | null | undefined)?.kind;
  return kind === 'done' || kind === 'failed' || kind === 'paused';
}
