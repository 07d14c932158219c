/** Restart back-off settings; the defaults are the real kubelet's. */
export interface BackOffOptions {
  /** First delay after the second failure in a row (kubelet: 10s). */
  initialMs?: number;
  /** Cap (kubelet: 300s). */
  maxMs?: number;
  /** A run at least this long resets the back-off (kubelet: 10 minutes). */
  resetAfterMs?: number;
  /** false: even the first retry waits `initial` (image pulls back off from the first failure). */
  immediateFirst?: boolean;
}

/**
 * CrashLoopBackOff as the kubelet computes it: the first restart is immediate, later ones wait
 * initial, 2x, 4x ... up to max; a container that ran for resetAfter starts over.
 */
export class BackOff {
  private readonly initial: number;
  private readonly max: number;
  private readonly resetAfter: number;
  private readonly immediateFirst: boolean;
  private current = 0;

  constructor(o: BackOffOptions = {}) {
    this.immediateFirst = o.immediateFirst ?? true;
    this.initial = o.initialMs ?? 10_000;
    this.max = o.maxMs ?? 300_000;
    this.resetAfter = o.resetAfterMs ?? 600_000;
  }

  /** Delay before the next start, given how long the run that just ended lasted. */
  next(ranForMs: number): number {
    if (ranForMs >= this.resetAfter) this.current = 0;
    if (this.current === 0 && !this.immediateFirst) this.current = this.initial;
    const delay = this.current;
    this.current = this.current === 0 ? this.initial : Math.min(this.current * 2, this.max);
    return delay;
  }
}
