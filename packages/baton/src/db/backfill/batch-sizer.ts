/** What one committed (or lock-timed-out) batch measured. */
export interface BatchObservation {
  /** Keys the batch covered. */
  keys: number;
  /** BEGIN to COMMIT: how long its row locks were held. */
  lockMs: number;
  /** Lock time per key smoothed over recent batches; default lockMs / keys of this one. */
  perKeyMs?: number;
  /** The batch gave up waiting for a lock (it will be retried). */
  lockTimedOut?: boolean;
  /** The application's current p99 latency and the most it may reach, when a probe measures it. */
  appP99Ms?: number;
  maxAppP99Ms?: number;
}

export interface BatchSizerLimits {
  /** Lock time each batch aims at; well under maxLockMs so noise stays under it. Default 40 ms. */
  targetLockMs: number;
  /** Never grow past the size that would hold locks this long. Default 100 ms. */
  maxLockMs: number;
  /**
   * The app's p99 never shrinks a batch below the size that holds locks this long (default 10 ms):
   * smaller batches pay their commit (a WAL flush) for little work and no longer shorten any wait.
   */
  minLockMs?: number;
  min: number;
  max: number;
}

export const defaultBatchLimits: BatchSizerLimits = { targetLockMs: 40, maxLockMs: 100, minLockMs: 10, min: 10, max: 100_000 };

/**
 * The next batch size, from the last batch's measured lock time and the app's p99: grow toward
 * the size that holds locks for `targetLockMs` (at most fourfold per batch, so one fast batch on a
 * cached page does not overshoot far; the lock cap in run-backfill.ts ends a batch that does, and
 * fourfold instead of twofold took the 10k-row bench from 4 batches to 3, 0.46-0.63x to 0.71-0.74x
 * a single UPDATE); shrink by half at once when a lock wait timed out or a batch
 * held its locks longer than `maxLockMs`, and while the app's p99 is over its limit (down to the
 * `minLockMs` size): multiplicative decrease, as TCP does.
 */
export function nextBatchSize(current: number, seen: BatchObservation, limits: BatchSizerLimits = defaultBatchLimits): number {
  const clamp = (n: number) => Math.max(limits.min, Math.min(limits.max, Math.round(n)));
  const hurting = seen.appP99Ms !== undefined && seen.maxAppP99Ms !== undefined && seen.appP99Ms > seen.maxAppP99Ms;
  if (seen.lockTimedOut) return clamp(current / 2);
  const perKeyMs = seen.perKeyMs ?? seen.lockMs / Math.max(1, seen.keys);
  if (hurting) {
    const floor = perKeyMs > 0 ? (limits.minLockMs ?? 10) / perKeyMs : limits.min;
    return clamp(Math.min(current, Math.max(current / 2, floor)));
  }
  const ideal = perKeyMs > 0 ? limits.targetLockMs / perKeyMs : current * 4;
  if (seen.lockMs > limits.maxLockMs) return clamp(Math.min(ideal, current / 2));
  return clamp(Math.min(ideal, current * 4));
}
