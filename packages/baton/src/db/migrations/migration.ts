/** Expand: old code keeps working. Backfill: data only. Contract: only after old code is gone. */
export type MigrationPhase = 'expand' | 'backfill' | 'contract';

/** Which timeout profile a migration's statements run under. */
export type TimeoutClass = 'short' | 'long';

/**
 * How a backfill walks its table: keyset pagination over a unique key, `batch` rows at a time
 * (the starting size: the runner adapts it to the measured lock time and the app's latency).
 */
export interface BackfillSpec {
  table: string;
  /** Key columns in order (`key=tenant_id,id`); empty means the table's primary key, read live. */
  key: string[];
  batch: number;
  /**
   * How the statement names its batch: `keyset` substitutes `:batch` with a key-range predicate
   * (any key type, composite keys); `range` binds `:start` (inclusive) / `:end` (exclusive) as
   * integers, for one integer key column.
   */
  bounds: 'keyset' | 'range';
}

/** One migration file, parsed and validated. */
export interface Migration {
  version: number;
  /** From the file name: 0003_backfill_full_name.sql -> "backfill_full_name". */
  name: string;
  /** Absolute path of the file. */
  file: string;
  phase: MigrationPhase;
  timeout: TimeoutClass;
  /** SQL to apply (header lines removed, comments kept). */
  up: string;
  /** SQL after `-- baton: down`, if any. */
  down: string | undefined;
  /** sha256 (hex) of the whole file as bytes; the ledger compares it on every run. */
  checksum: string;
  backfill: BackfillSpec | undefined;
  /** Uses CONCURRENTLY, so it must run outside a transaction (postgres). */
  concurrently: boolean;
}
