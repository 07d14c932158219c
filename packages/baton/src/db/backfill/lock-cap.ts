import type { Dialect } from '../dialect.js';
import type { BatchSizerLimits } from './batch-sizer.js';

/**
 * The lock cap of a backfill: the statement timeout its batches run under, so that no batch holds
 * its row locks much past `maxLockMs`, whatever the disk or another session does. What follows the
 * statement's timer still holds the locks: the commit's WAL flush, and on InnoDB the undo of a
 * cancelled statement's rows, which takes about as long as changing them did. So the cap is four
 * fifths of maxLockMs on PostgreSQL (an abort only marks the transaction) and half on MariaDB.
 */
export function lockCapMs(limits: BatchSizerLimits, dialect: Pick<Dialect, 'undoHoldsLocks'>): number {
  return Math.max(1, Math.floor(limits.maxLockMs * (dialect.undoHoldsLocks ? 0.5 : 0.8)));
}

/**
 * The sizer's limits under a cap: a batch aims at no more than 60% of the cap, so the ordinary
 * spread of batch times (a noisy neighbour, a page read from disk) stays under it and the cap
 * only ends the outliers. With the defaults: 40 ms on PostgreSQL (cap 80 ms), 30 ms on MariaDB
 * (cap 50 ms).
 */
export function limitsUnderCap(limits: BatchSizerLimits, capMs: number): BatchSizerLimits {
  return { ...limits, targetLockMs: Math.min(limits.targetLockMs, Math.max(1, Math.floor(capMs * 0.6))) };
}
