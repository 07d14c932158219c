import type { JsonObject } from '../json.js';
import type { PlannedStep, StepResult } from './step.js';
import type { RunStatus } from './run-status.js';

/**
 * One durable fact about a run. JSON only, append-only; the run's state is derived from the list
 * by `deriveRunState` (run-state.ts), never stored beside it, so a crash can lose at most the
 * entry being written (and a torn entry is detected and dropped by the store).
 */
export type JournalEntry = { at: number; runId: string } & JournalEvent;

/** The entry without its envelope (`at`, `runId`). */
export type JournalEvent =
  | { type: 'run-started'; app: string; namespace: string; steps: PlannedStep[]; meta: JsonObject; holder?: string }
  /** A process took the run over again (resume, promote, abort) after it stopped. */
  | { type: 'run-resumed'; holder?: string }
  | { type: 'step-started'; stepId: string }
  | { type: 'step-checkpoint'; stepId: string; data: JsonObject }
  | { type: 'step-finished'; stepId: string; result: StepResult }
  /** The step threw: unexpected, treated like a `failed` result. */
  | { type: 'step-error'; stepId: string; error: string }
  | { type: 'undo-started'; stepId: string }
  /** `error` set: the undo threw, the rollback stops there and the run halts. */
  | { type: 'undo-finished'; stepId: string; error?: string }
  | { type: 'promoted'; stepId: string; by?: string }
  | { type: 'abort-requested'; reason: string; by?: string }
  /** Someone asked the live run to stop at its next step boundary (`requestPause`). */
  | { type: 'pause-requested'; reason: string; by?: string }
  | { type: 'run-finished'; status: RunStatus; reason?: string; failedStep?: string };

export type JournalEntryType = JournalEntry['type'];

/** What `baton releases` / `baton report` list without reading every journal. */
export interface RunSummary {
  runId: string;
  app: string;
  namespace: string;
  status: RunStatus;
  startedAt: number;
  updatedAt: number;
  reason?: string;
  failedStep?: string;
}

/**
 * Durable, append-only store of run journals. `append` resolves only once the entry is durable
 * (fsync'd for the file store): the engine acts only after its intent is recorded.
 */
export interface Journal {
  append(entry: JournalEntry): Promise<void>;
  /** Every entry of a run in append order; `[]` when the run is unknown. */
  read(runId: string): Promise<JournalEntry[]>;
  /** Newest first. */
  listRuns(filter?: { app?: string }): Promise<RunSummary[]>;
}
