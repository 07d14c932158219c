import type { DowntimeWindow } from './probe-record.js';

/** One finished request, as far as downtime is concerned. */
export interface DowntimeSample {
  sentAt: number;
  doneAt: number;
  ok: boolean;
}

export interface DowntimeOptions {
  /** A request waiting longer than this for any success (its own or a later one) is downtime. */
  noSuccessThresholdMs: number;
  /** When the probe stopped: requests with no success after them are open until here. */
  stoppedAt: number;
}

/**
 * Downtime windows from finished requests: (a) periods during which the latest answer was a
 * failure: from a failure's completion to the next success's completion (so a full outage
 * counts whole, while one failure among steady successes counts only until the next success,
 * not its own latency); (b) periods longer than the threshold during which a request was due
 * (sent) and no successful response arrived, which catches hangs that never fail. The union
 * is returned, merged and sorted. Pure.
 */
export function computeDowntime(samples: readonly DowntimeSample[], options: DowntimeOptions): DowntimeWindow[] {
  return computeDowntimeOf(
    {
      length: samples.length,
      sentAt: (i) => samples[i]?.sentAt ?? 0,
      doneAt: (i) => samples[i]?.doneAt ?? 0,
      ok: (i) => samples[i]?.ok ?? false,
    },
    options,
  );
}

/** Column access to finished requests (see SampleColumns), so no object per request is needed. */
export interface DowntimeColumns {
  length: number;
  sentAt(i: number): number;
  doneAt(i: number): number;
  ok(i: number): boolean;
}

/** computeDowntime over columns. */
export function computeDowntimeOf(c: DowntimeColumns, options: DowntimeOptions): DowntimeWindow[] {
  const order = (key: (i: number) => number): Uint32Array => {
    const idx = new Uint32Array(c.length);
    for (let i = 0; i < c.length; i++) idx[i] = i;
    return idx.sort((x, y) => key(x) - key(y) || x - y);
  };
  const bySent = order((i) => c.sentAt(i));
  const byDone = order((i) => c.doneAt(i));
  const successDone: number[] = [];
  for (const i of byDone) if (c.ok(i)) successDone.push(c.doneAt(i));
  const raw: { start: number; end: number; kind: DowntimeWindow['kind'] }[] = [];

  // (a) failure state, by completion order
  let downSince: number | undefined;
  for (const i of byDone) {
    if (!c.ok(i)) downSince ??= c.doneAt(i);
    else if (downSince !== undefined) {
      if (c.doneAt(i) > downSince) raw.push({ start: downSince, end: c.doneAt(i), kind: 'failures' });
      downSince = undefined;
    }
  }
  if (downSince !== undefined && options.stoppedAt > downSince) raw.push({ start: downSince, end: options.stoppedAt, kind: 'failures' });

  // Waiting before the very first answer of any kind is the probe warming up (connections, JIT),
  // not the service: a service that is down from the start shows as failures from that answer on.
  const firstAnswer = byDone.length > 0 ? c.doneAt(byDone[0] ?? 0) : options.stoppedAt;
  // (b) for each success, the earliest request sent since the previous success waited until it
  let j = 0;
  let groupStart: number | undefined;
  for (const i of bySent) {
    const sentAt = c.sentAt(i);
    while (j < successDone.length && (successDone[j] ?? 0) < sentAt) {
      if (groupStart !== undefined) pushGap(groupStart, successDone[j] ?? 0);
      groupStart = undefined;
      j += 1;
    }
    groupStart ??= sentAt;
  }
  if (groupStart !== undefined) pushGap(groupStart, j < successDone.length ? (successDone[j] ?? 0) : options.stoppedAt);

  function pushGap(from: number, end: number): void {
    const start = Math.max(from, firstAnswer);
    if (end - start > options.noSuccessThresholdMs) raw.push({ start, end, kind: 'no-success' });
  }

  raw.sort((a, b) => a.start - b.start);
  const merged: DowntimeWindow[] = [];
  for (const w of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && w.start <= last.end) {
      last.end = Math.max(last.end, w.end);
      if (w.kind === 'failures') last.kind = 'failures';
    } else {
      merged.push({ start: w.start, end: w.end, failed: 0, kind: w.kind });
    }
  }
  // Failures into their windows: both in time order, one pass.
  let k = 0;
  for (const i of byDone) {
    if (c.ok(i)) continue;
    const at = c.doneAt(i);
    while (k < merged.length && (merged[k]?.end ?? 0) < at) k += 1;
    const w = merged[k];
    if (w !== undefined && at >= w.start) w.failed += 1;
  }
  return merged;
}

/** Sum of window lengths, ms. */
export function totalDowntimeMs(windows: readonly DowntimeWindow[]): number {
  return windows.reduce((sum, w) => sum + (w.end - w.start), 0);
}
