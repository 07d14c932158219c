import type { ProbeReader } from '../../engine/step.js';
import type { AppLatency } from '../backfill/run-backfill.js';

/** When the live probe says users are hurting, a backfill pauses. */
export interface ProbeThrottleLimits {
  /** Pause while the probe's p99 over the window is above this. */
  maxP99Ms?: number;
  /** Pause while failed/requests over the window is above this (0..1). */
  maxErrorRate?: number;
  /** How long each pause lasts. Default 1000 ms. */
  pauseMs?: number;
  /** The window looked at. Default 10 s. */
  windowMs?: number;
}

/** A backfill throttle driven by the traffic probe; no probe means no brake from it. */
export function probeThrottle(probe: ProbeReader | undefined, limits: ProbeThrottleLimits, now: () => number): () => Promise<number> {
  return async () => {
    if (!probe) return 0;
    const stats = probe.stats(now() - (limits.windowMs ?? 10_000));
    const errorRate = stats.requests > 0 ? stats.failed / stats.requests : 0;
    const slow = limits.maxP99Ms !== undefined && stats.p99Ms !== null && stats.p99Ms > limits.maxP99Ms;
    const failing = limits.maxErrorRate !== undefined && errorRate > limits.maxErrorRate;
    return slow || failing ? (limits.pauseMs ?? 1000) : 0;
  };
}

/**
 * The probe's p99 as a backfill's batch sizer reads it: batches halve while users see answers
 * slower than `maxP99Ms` (the throttle above also pauses; this makes the batches that follow
 * hold their locks for less). Undefined without a probe or a p99 limit.
 */
export function probeLatency(probe: ProbeReader | undefined, limits: ProbeThrottleLimits, now: () => number): AppLatency | undefined {
  const { maxP99Ms } = limits;
  if (!probe || maxP99Ms === undefined) return undefined;
  return { maxP99Ms, p99Ms: () => probe.stats(now() - (limits.windowMs ?? 10_000)).p99Ms ?? undefined };
}
