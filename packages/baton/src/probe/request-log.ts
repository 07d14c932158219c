import type { ProbeStats } from '../engine/step.js';
import { CappedList } from './capped-list.js';
import { computeDowntime, totalDowntimeMs } from './downtime.js';
import { percentileOfSorted, round } from './percentile.js';
import type { FailureReason, ProbeRecord, RequestFailure, RequestTotals, TimeBucket } from './probe-record.js';

/** One finished request. */
export interface RequestSample {
  sentAt: number;
  doneAt: number;
  /** HTTP status, or null when no answer arrived. */
  status: number | null;
  version: string | null;
  fresh: boolean;
  /** Set when the request failed. */
  failure?: { reason: FailureReason; message: string | null };
}

const REASONS: FailureReason[] = ['status', 'refused', 'reset', 'timeout', 'error'];

/**
 * Every finished request of a probe run, kept in memory (a few numbers each: an hour at 200 rps
 * is ~720k samples) so that stats can be asked for any window, and reduced to per-bucket
 * aggregates when the record is written.
 */
export class RequestLog {
  readonly samples: RequestSample[] = [];
  readonly failures: CappedList<RequestFailure>;

  constructor(options: { failureCap: number }) {
    this.failures = new CappedList(options.failureCap);
  }

  add(sample: RequestSample): void {
    this.samples.push(sample);
    if (sample.failure !== undefined) {
      this.failures.push({
        at: sample.sentAt,
        reason: sample.failure.reason,
        status: sample.status,
        version: sample.version,
        latencyMs: round(sample.doneAt - sample.sentAt),
        fresh: sample.fresh,
        message: sample.failure.message,
      });
    }
  }

  /** Requests sent at or after `sinceMs`. */
  private since(sinceMs: number | undefined): RequestSample[] {
    return sinceMs === undefined ? this.samples : this.samples.filter((s) => s.sentAt >= sinceMs);
  }

  /** Request part of ProbeStats for the window. */
  stats(sinceMs?: number): Pick<ProbeStats, 'requests' | 'failed' | 'p50Ms' | 'p99Ms' | 'byVersion'> {
    const t = this.totals(this.since(sinceMs));
    return { requests: t.total, failed: t.failed, p50Ms: t.p50Ms, p99Ms: t.p99Ms, byVersion: t.byVersion };
  }

  totals(samples: readonly RequestSample[] = this.samples): RequestTotals {
    const byReason = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
    const byStatus: Record<string, number> = {};
    const byVersion: Record<string, number> = {};
    const latencies: number[] = [];
    let failed = 0;
    let fresh = 0;
    for (const s of samples) {
      if (s.fresh) fresh += 1;
      if (s.failure !== undefined) {
        failed += 1;
        byReason[s.failure.reason] += 1;
      }
      if (s.status !== null) {
        byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
        const v = s.version ?? 'unknown';
        byVersion[v] = (byVersion[v] ?? 0) + 1;
        latencies.push(s.doneAt - s.sentAt);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      total: samples.length,
      ok: samples.length - failed,
      failed,
      keepAlive: samples.length - fresh,
      fresh,
      byReason,
      byStatus,
      byVersion,
      p50Ms: percentileOfSorted(latencies, 0.5),
      p90Ms: percentileOfSorted(latencies, 0.9),
      p99Ms: percentileOfSorted(latencies, 0.99),
      maxMs: latencies.length === 0 ? null : round(latencies[latencies.length - 1] ?? 0),
    };
  }

  /** Per-bucket aggregates from `startedAt` to `stoppedAt`, by send time. */
  buckets(startedAt: number, stoppedAt: number, bucketMs: number): TimeBucket[] {
    const count = Math.max(1, Math.ceil((stoppedAt - startedAt) / bucketMs));
    const acc = Array.from({ length: count }, () => ({ requests: 0, failed: 0, byVersion: {} as Record<string, number>, lat: [] as number[] }));
    for (const s of this.samples) {
      const b = acc[Math.min(count - 1, Math.max(0, Math.floor((s.sentAt - startedAt) / bucketMs)))];
      if (b === undefined) continue;
      b.requests += 1;
      if (s.failure !== undefined) b.failed += 1;
      if (s.status !== null) {
        const v = s.version ?? 'unknown';
        b.byVersion[v] = (b.byVersion[v] ?? 0) + 1;
        b.lat.push(s.doneAt - s.sentAt);
      }
    }
    return acc.map((b, i) => ({
      t: i * bucketMs,
      requests: b.requests,
      failed: b.failed,
      byVersion: b.byVersion,
      p99Ms: percentileOfSorted(b.lat.sort((x, y) => x - y), 0.99),
    }));
  }

  downtime(options: { noSuccessThresholdMs: number; stoppedAt: number; cap: number }): ProbeRecord['downtime'] {
    const windows = computeDowntime(
      this.samples.map((s) => ({ sentAt: s.sentAt, doneAt: s.doneAt, ok: s.failure === undefined })),
      options,
    ).map((w) => ({ ...w, start: round(w.start), end: round(w.end) }));
    return { totalMs: round(totalDowntimeMs(windows)), count: windows.length, cap: options.cap, windows: windows.slice(0, options.cap) };
  }
}
