import type { ProbeRecord } from '../probe/probe-record.js';

export type RunRecordStatus = 'succeeded' | 'rolled-back' | 'halted' | 'aborted' | 'failed' | 'running' | 'paused';

/** One step of a run as the report shows it. Times are epoch ms. */
export interface RunRecordStep {
  id: string;
  title: string;
  kind: string;
  startedAt: number;
  finishedAt?: number;
  status: 'pending' | 'running' | 'done' | 'failed' | 'paused' | 'skipped' | 'undone';
  summary?: string;
  reason?: string;
  output?: string;
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

export interface RunRecordDrift {
  resource: string;
  field: string;
  manifest: string;
  cluster: string;
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
}
