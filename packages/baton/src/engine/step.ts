import type { JsonObject } from '../json.js';

/**
 * A step as the plan describes it: pure, serializable data. The engine turns it into behaviour
 * through a StepKind looked up by `kind` in a registry, so a plan written to the journal can be
 * resumed by a fresh process after a crash.
 */
export interface PlannedStep {
  /** Stable across runs: "backup", "migrate:expand:0003", "rollout:web". Unique in a plan. */
  id: string;
  /** Registry key of the implementation, e.g. "rollout", "switch-selector", "gate". */
  kind: string;
  /** What a person reads in plan/progress output. */
  title: string;
  /** Completing an irreversible step passes the point of no return. */
  reversible: boolean;
  /** Everything the implementation needs; JSON only. */
  params: JsonObject;
}

/** What a step's run ends with. Expected outcomes are values; throwing means "unexpected". */
export type StepResult =
  | { kind: 'done'; data?: JsonObject; summary?: string }
  | { kind: 'failed'; reason: string; data?: JsonObject }
  /** Needs a human: `baton promote` (or resume) continues, `baton abort` rolls back. */
  | { kind: 'paused'; reason: string };

/** A line of progress for the terminal and the report. */
export interface ProgressEvent {
  stepId: string;
  at: number;
  message: string;
  /** 0..1 when the step knows how far it is. */
  fraction?: number;
}

// The probe port's types live with the probe (a port below the engine); re-exported for steps.
export type { ProbeReader, ProbeStats } from '../probe/probe-stats.js';
import type { ProbeReader } from '../probe/probe-stats.js';

export interface Logger {
  info(message: string, fields?: JsonObject): void;
  warn(message: string, fields?: JsonObject): void;
  error(message: string, fields?: JsonObject): void;
}

/** Everything a step may use while it runs. One options object; no god context beyond this. */
export interface RunContext {
  runId: string;
  app: string;
  namespace: string;
  /** Aborted when the run is cancelled (SIGINT, `baton abort`); steps must stop promptly. */
  signal: AbortSignal;
  log: Logger;
  now(): number;
  /** Injectable delay (tests pass a fast one); resolves early (rejects) when `signal` aborts. */
  delay(ms: number): Promise<void>;
  progress(message: string, fraction?: number): void;
  /**
   * Durably records data for this step before it acts (e.g. the image it is about to replace), so
   * that undo after a crash knows what to restore. Appended to the journal and fsync'd.
   */
  checkpoint(data: JsonObject): Promise<void>;
  /**
   * This step's own checkpoints from earlier attempts (merged in order; {} on a first attempt).
   * A step re-run after a crash reads it so it does not record the half-changed state as "before".
   */
  checkpoints: Readonly<JsonObject>;
  /** Data recorded by earlier steps' results, keyed by step id (e.g. a backup's path). */
  results: Readonly<Record<string, JsonObject>>;
  probe: ProbeReader | undefined;
}

/** The behaviour behind a PlannedStep's `kind`. Implementations must be idempotent. */
export interface StepKind {
  kind: string;
  /** Safe to run again after a crash part-way through. */
  run(ctx: RunContext, step: PlannedStep): Promise<StepResult>;
  /**
   * Undo what `run` did, also when `run` stopped part-way or never recorded a result.
   * `checkpoint` is every checkpoint the step recorded, merged in order.
   */
  undo?(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void>;
}

export type StepRegistry = Readonly<Record<string, StepKind>>;
