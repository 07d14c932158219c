import type { ProbeRecord } from '../probe/probe-record.js';
import type { StepTraffic } from './step-traffic.js';

export type RunRecordStatus = 'succeeded' | 'rolled-back' | 'halted' | 'aborted' | 'failed' | 'running' | 'paused';

/** One step of a run as the report shows it. Times are epoch ms. */
export interface RunRecordStep {
  id: string;
  title: string;
  kind: string;
  /** The step starts new pods or moves requests to them (its kind's trait): its span is rollout time. */
  movesTraffic?: boolean;
  startedAt: number;
  finishedAt?: number;
  status: 'pending' | 'running' | 'done' | 'failed' | 'paused' | 'skipped' | 'undone';
  summary?: string;
  reason?: string;
  output?: string;
  /** Gates over live traffic: weight set, share measured, answers judged. */
  traffic?: StepTraffic;
}

export interface RunRecordBackup {
  method: string;
  path?: string;
  sizeBytes: number;
  compressedBytes?: number;
  /** True only after the backup was restored into a scratch database and checked. */
  verified: boolean;
  detail: string;
}

export interface RunRecordMigration {
  version: string;
  phase: string;
  status: string;
  durationMs: number;
}

/**
 * A moment on the run's timeline that is not a step boundary: a gate that failed, a rollback
 * starting and ending, a pause for a human and its promotion, an abort request. Epoch ms.
 */
export interface RunRecordEvent {
  at: number;
  kind: 'gate-failed' | 'step-failed' | 'rollback-started' | 'rollback-finished' | 'paused' | 'promoted' | 'abort-requested';
  /** What a person reads on the timeline, e.g. "gate probe failed" or the step id. */
  label: string;
}

export interface RunRecordDrift {
  resource: string;
  field: string;
  manifest: string;
  cluster: string;
}

/** One drain-by-evidence step: old pods taken away only when their connections reached 0 or the deadline passed. */
export interface RunRecordDrain {
  stepId: string;
  deadlineSeconds: number;
  /** Where connection counts came from: the app's metric per pod, or none (deadline only). */
  source: 'metric' | 'deadline-only';
  deadlineReached: boolean;
  pods: Array<{
    pod: string;
    version: string | null;
    /** The metric when the drain began; null when not measured. */
    connectionsAtStart: number | null;
    /** When the pod's connections read 0; null when the deadline came first. */
    drainedAfterMs: number | null;
    /** Connections the metric still read when the deadline took the pod; null when none were cut or not measured. */
    cutAtDeadline: number | null;
  }>;
}

/**
 * Everything a report says about one run: what baton did (steps, backups, migrations, drift)
 * and what the live traffic probe measured while it did it. Serializable JSON.
 */
export interface RunRecord {
  runId: string;
  app: string;
  namespace: string;
  strategy: string;
  fromVersion: string;
  toVersion: string;
  status: RunRecordStatus;
  reason?: string;
  startedAt: number;
  finishedAt: number;
  steps: RunRecordStep[];
  /** Absent when no probe ran: the report then says "not measured", never zero. */
  probe?: ProbeRecord;
  backups: RunRecordBackup[];
  migrations: RunRecordMigration[];
  drift: RunRecordDrift[];
  /** Drain-by-evidence steps and what each pod held; absent when none ran. */
  drains?: RunRecordDrain[];
  /** Gate failures, rollback start/end, pauses: marked on the timeline. Absent in older records. */
  events?: RunRecordEvent[];
  /**
   * The run is recorded as running but no live process holds its lock (baton was killed): what
   * was measured so far, why it stopped and the command that continues it.
   */
  interrupted?: { reason: string; next: string };
}
