import type { FailureReason } from './probe-record.js';

/** One finished request. */
export interface RequestSample {
  sentAt: number;
  doneAt: number;
  /** HTTP status, or null when no answer arrived. */
  status: number | null;
  version: string | null;
  fresh: boolean;
  /** Sent with the A/B route's header or cookie (the probe's routed share). */
  routed?: boolean;
  /** Set when the request failed. */
  failure?: { reason: FailureReason; message: string | null };
}

export const FAILURE_REASONS: readonly FailureReason[] = ['status', 'refused', 'reset', 'timeout', 'error'];

/**
 * Finished requests stored column-wise in typed arrays (~21 bytes each instead of an object
 * each), because a probe may run for the hours a rainbow drain takes: 10 h at 200 rps is 7.2M
 * requests, ~150 MB here against ~700 MB as objects. Messages are not kept (the capped failure
 * list has them). Rows are appended in completion order.
 */
export class SampleColumns {
  length = 0;
  private sent = new Float64Array(1024);
  private done = new Float64Array(1024);
  private statusCol = new Uint16Array(1024);
  private versionCol = new Uint16Array(1024);
  /** bit 0: fresh connection; bits 1..3: 1 + index into FAILURE_REASONS, 0 when ok; bit 4: routed. */
  private flags = new Uint8Array(1024);
  /** Version labels; column value 0 means none, i means versions[i - 1]. */
  readonly versions: string[] = [];
  private readonly versionIndex = new Map<string, number>();

  /** True while rows arrived in non-decreasing doneAt (always, with a monotonic clock). */
  private doneSorted = true;

  push(s: RequestSample): void {
    if (this.length === this.sent.length) this.grow();
    if (this.length > 0 && s.doneAt < (this.done[this.length - 1] ?? 0)) this.doneSorted = false;
    const i = this.length++;
    this.sent[i] = s.sentAt;
    this.done[i] = s.doneAt;
    this.statusCol[i] = s.status ?? 0;
    this.versionCol[i] = s.version === null ? 0 : this.indexOf(s.version);
    const reason = s.failure === undefined ? 0 : FAILURE_REASONS.indexOf(s.failure.reason) + 1;
    this.flags[i] = (s.fresh ? 1 : 0) | (reason << 1) | (s.routed === true ? 16 : 0);
  }

  /**
   * First row that may have been sent at or after `sinceMs`: a request finishes after it is
   * sent, so rows finished before `sinceMs` can be skipped. Lets a gate ask for the last few
   * seconds without scanning hours of rows. 0 when rows are not in completion order.
   */
  firstRowSince(sinceMs: number): number {
    if (!this.doneSorted) return 0;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.done[mid] ?? 0) < sinceMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  sentAt(i: number): number {
    return this.sent[i] ?? 0;
  }
  doneAt(i: number): number {
    return this.done[i] ?? 0;
  }
  /** HTTP status or null. */
  status(i: number): number | null {
    const s = this.statusCol[i] ?? 0;
    return s === 0 ? null : s;
  }
  version(i: number): string | null {
    const v = this.versionCol[i] ?? 0;
    return v === 0 ? null : (this.versions[v - 1] ?? null);
  }
  fresh(i: number): boolean {
    return ((this.flags[i] ?? 0) & 1) === 1;
  }
  /** Sent with the A/B route's header or cookie. */
  routed(i: number): boolean {
    return ((this.flags[i] ?? 0) & 16) === 16;
  }
  /** Failure reason, or undefined when the request succeeded. */
  reason(i: number): FailureReason | undefined {
    const r = ((this.flags[i] ?? 0) >> 1) & 7;
    return r === 0 ? undefined : FAILURE_REASONS[r - 1];
  }
  ok(i: number): boolean {
    return (((this.flags[i] ?? 0) >> 1) & 7) === 0;
  }

  private indexOf(version: string): number {
    let i = this.versionIndex.get(version);
    if (i === undefined) {
      // Past 65534 distinct labels, new ones count as "unknown": a header that changes per
      // request is not a version, and must not grow memory without bound.
      if (this.versions.length >= 65_534) return 65_535;
      this.versions.push(version);
      i = this.versions.length;
      this.versionIndex.set(version, i);
    }
    return i;
  }

  private grow(): void {
    const size = this.sent.length * 2;
    const grow = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.sent = grow(this.sent, (n) => new Float64Array(n));
    this.done = grow(this.done, (n) => new Float64Array(n));
    this.statusCol = grow(this.statusCol, (n) => new Uint16Array(n));
    this.versionCol = grow(this.versionCol, (n) => new Uint16Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }
}
