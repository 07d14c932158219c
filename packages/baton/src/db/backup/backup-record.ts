import type { DialectName } from '../dialect.js';
import type { BackupFormat } from './backup-tool.js';

/** Row count of a table when the dump was taken; min < max when the count could only be bounded. */
export interface TableCount {
  min: number;
  max: number;
}

/** What a backup is, as the journal and the report keep it (JSON, no credentials). */
export interface BackupRecord {
  path: string;
  dialect: DialectName;
  format: BackupFormat;
  method: 'native' | 'command';
  createdAt: string;
  durationMs: number;
  /** Bytes written to disk (compressed). */
  fileBytes: number;
  /** Uncompressed size: the SQL text for mysqldump/gzip, the database's size for pg custom dumps. */
  sourceBytes: number;
  /** Tables and row counts in the source at dump time. */
  tables: Record<string, TableCount>;
}

/** How to take the backup. `command` is an argv array; BATON_DB_URL is in its environment. */
export type BackupMethod = { kind: 'native' } | { kind: 'command'; argv: string[]; format: BackupFormat };
