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
  const bySent = [...samples].sort((a, b) => a.sentAt - b.sentAt);
  const successDone = bySent.filter((s) => s.ok).map((s) => s.doneAt).sort((a, b) => a - b);
  const raw: { start: number; end: number; kind: DowntimeWindow['kind'] }[] = [];

  // (a) failure state, by completion order
  let downSince: number | undefined;
  for (const s of [...samples].sort((a, b) => a.doneAt - b.doneAt)) {
    if (!s.ok) downSince ??= s.doneAt;
    else if (downSince !== undefined) {
      if (s.doneAt > downSince) raw.push({ start: downSince, end: s.doneAt, kind: 'failures' });
      downSince = undefined;
    }
  }
  if (downSince !== undefined && options.stoppedAt > downSince) raw.push({ start: downSince, end: options.stoppedAt, kind: 'failures' });

  // (b) for each success, the earliest request sent since the previous success waited until it
  let j = 0;
  let groupStart: number | undefined;
  for (const s of bySent) {
    while (j < successDone.length && (successDone[j] ?? 0) < s.sentAt) {
      if (groupStart !== undefined) pushGap(groupStart, successDone[j] ?? 0);
      groupStart = undefined;
      j += 1;
    }
    groupStart ??= s.sentAt;
  }
  if (groupStart !== undefined) pushGap(groupStart, j < successDone.length ? (successDone[j] ?? 0) : options.stoppedAt);

  function pushGap(start: number, end: number): void {
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
  for (const s of bySent) {
    if (s.ok) continue;
    const w = merged.find((m) => s.doneAt >= m.start && s.doneAt <= m.end);
    if (w !== undefined) w.failed += 1;
  }
  return merged;
}

/** Sum of window lengths, ms. */
export function totalDowntimeMs(windows: readonly DowntimeWindow[]): number {
  return windows.reduce((sum, w) => sum + (w.end - w.start), 0);
}
