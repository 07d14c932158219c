import type { Logger, ProbeReader, StepRegistry } from './step.js';
import type { Journal } from './journal.js';
import type { RunLock } from './run-lock.js';
import type { EngineEvent } from './engine-event.js';

/** What every engine call takes. Everything but the ports has a production default. */
export interface EngineOptions {
  journal: Journal;
  lock: RunLock;
  /** StepKinds by `PlannedStep.kind`. Every kind in a plan must be here (checked before acting). */
  registry: StepRegistry;
  probe?: ProbeReader;
  /** Default: silent. */
  log?: Logger;
  now?: () => number;
  /** Default: a timer that rejects when `signal` aborts. */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Live progress; a throwing listener is ignored (a broken UI must not break a run). */
  onEvent?: (event: EngineEvent) => void;
  /** Cancels the run (SIGINT): the step in flight is cancelled, then the run rolls back. */
  signal?: AbortSignal;
  /** Who runs this (shown by LOCKED errors and in the journal). Default `baton pid N on HOST`. */
  holder?: string;
  /** How often the lock is renewed while the run lives. Default 10 s. */
  lockRenewMs?: number;
  /** How often a live run reads its journal for abort requests from others. Default 1 s. */
  abortPollMs?: number;
  /**
   * Stop after starting this many forward steps, leaving the run `running` between steps (a
   * controller runs one step per reconcile and writes status in between). A rollback, once begun,
   * always runs to its end. Default: no limit.
   */
  maxSteps?: number;
}
