/** Retry policy for statements that gave up waiting for a lock. */
export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface RetryDeps {
  isLockTimeout(error: unknown): boolean;
  delay(ms: number): Promise<void>;
  /** 0..1; injectable so tests are deterministic. */
  random?: () => number;
  /** Told before each wait: which attempt failed and how long we back off. */
  onRetry?(attempt: number, waitMs: number, error: unknown): void;
}

/**
 * Runs `attempt`, retrying lock timeouts with exponential back-off and full jitter. Giving up the
 * lock quickly and retrying is the point: a DDL waiting in the lock queue blocks every query behind
 * it, so it must never wait long (the lock-queue outage).
 */
export async function withLockRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps): Promise<T> {
  const random = deps.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!deps.isLockTimeout(error) || n >= policy.retries) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
      const waitMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      deps.onRetry?.(n + 1, waitMs, error);
      await deps.delay(waitMs);
    }
  }
}
