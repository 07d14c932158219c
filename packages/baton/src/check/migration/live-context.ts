import type { LiveSchema } from '../../db/schema/live-schema.js';
import type { Operation } from './operation.js';
import type { ReplayedSchema } from './schema-replay.js';

/** Up to these figures a table counts as small: locking or rewriting it takes milliseconds. */
export interface SmallTableThresholds {
  /** Planner row estimate (reltuples / TABLE_ROWS). */
  rows: number;
  /** Heap + indexes + TOAST. Both limits must hold: an unanalysed table estimates 0 rows. */
  bytes: number;
}

/** `--small-table-rows` and `--small-table-bytes` defaults: 10,000 rows, 16 MiB. */
export const defaultSmallTable: SmallTableThresholds = { rows: 10_000, bytes: 16 * 1024 * 1024 };

/**
 * What migration rules may know of the live database (`baton check --database`). Given only to
 * pending migrations: applied ones are the live schema already.
 */
export interface LiveContext {
  schema: LiveSchema;
  smallTable: SmallTableThresholds;
  /** Operations of the pending migrations before this one: they have not reached the live schema yet. */
  pendingEarlier: readonly Operation[];
  /** The live schema with `pendingEarlier` replayed over it: what this migration will meet. */
  replayed: ReplayedSchema;
}
