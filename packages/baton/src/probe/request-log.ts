import type { ProbeStats } from './probe-stats.js';
import { CappedList } from './capped-list.js';
import { computeDowntimeOf, totalDowntimeMs } from './downtime.js';
import { percentileOfSorted, round } from './percentile.js';
import type { FailureReason, ProbeRecord, RequestFailure, RequestTotals, TimeBucket } from './probe-record.js';
import { FAILURE_REASONS, SampleColumns } from './sample-columns.js';
import type { RequestSample } from './sample-columns.js';

export type { RequestSample };

/**
 * Every finished request of a probe run, kept compactly (SampleColumns) so that stats can be
 * asked for any window, and reduced to per-bucket aggregates when the record is written.
 */
export class RequestLog {
  readonly samples = new SampleColumns();
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

  /** Request part of ProbeStats for requests sent at or after `sinceMs`. */
  stats(sinceMs?: number): Pick<ProbeStats, 'requests' | 'failed' | 'p50Ms' | 'p99Ms' | 'byVersion'> {
    const t = this.totals(sinceMs);
    return { requests: t.total, failed: t.failed, p50Ms: t.p50Ms, p99Ms: t.p99Ms, byVersion: t.byVersion };
  }

  /** Totals over requests sent at or after `sinceMs` (all when undefined). */
  totals(sinceMs?: number): RequestTotals {
    const c = this.samples;
    const byReason = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
    const byStatus: Record<string, number> = {};
    const byVersion: Record<string, number> = {};
    const latencies: number[] = [];
    let total = 0;
    let failed = 0;
    let fresh = 0;
    for (let i = sinceMs === undefined ? 0 : c.firstRowSince(sinceMs); i < c.length; i++) {
      if (sinceMs !== undefined && c.sentAt(i) < sinceMs) continue;
      total += 1;
      if (c.fresh(i)) fresh += 1;
      const reason = c.reason(i);
      if (reason !== undefined) {
        failed += 1;
        byReason[reason] += 1;
      }
      const status = c.status(i);
      if (status !== null) {
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        const v = c.version(i) ?? 'unknown';
        byVersion[v] = (byVersion[v] ?? 0) + 1;
        latencies.push(c.doneAt(i) - c.sentAt(i));
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      total,
      ok: total - failed,
      failed,
      keepAlive: total - fresh,
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
    const c = this.samples;
    const count = Math.max(1, Math.ceil((stoppedAt - startedAt) / bucketMs));
    const acc = Array.from({ length: count }, () => ({
      requests: 0,
      failed: 0,
      byVersion: {} as Record<string, number>,
      lat: [] as number[],
    }));
    for (let i = 0; i < c.length; i++) {
      const b = acc[Math.min(count - 1, Math.max(0, Math.floor((c.sentAt(i) - startedAt) / bucketMs)))];
      if (b === undefined) continue;
      b.requests += 1;
      if (!c.ok(i)) b.failed += 1;
      if (c.status(i) !== null) {
        const v = c.version(i) ?? 'unknown';
        b.byVersion[v] = (b.byVersion[v] ?? 0) + 1;
        b.lat.push(c.doneAt(i) - c.sentAt(i));
      }
    }
    return acc.map((b, i) => ({
      t: i * bucketMs,
      requests: b.requests,
      failed: b.failed,
      byVersion: b.byVersion,
      p99Ms: percentileOfSorted(
        b.lat.sort((x, y) => x - y),
        0.99,
      ),
    }));
  }

  downtime(options: { noSuccessThresholdMs: number; stoppedAt: number; cap: number }): ProbeRecord['downtime'] {
    const windows = computeDowntimeOf(this.samples, options).map((w) => ({ ...w, start: round(w.start), end: round(w.end) }));
    return { totalMs: round(totalDowntimeMs(windows)), count: windows.length, cap: options.cap, windows: windows.slice(0, options.cap) };
  }
}
