import type {
  ConnectionTotals,
  ConnectionVersionTotals,
  GapSummary,
  ProbeGap,
  ProbeRecord,
  RequestTotals,
  StreamTotals,
  TimeBucket,
  WriteTotals,
} from './probe-record.js';

/**
 * One record for a run probed by several processes in turn (baton killed, then resumed): the
 * segments' counts added up, their lists and buckets laid end to end on the first segment's time
 * axis, and the span between two segments kept as a gap, "not measured" (no baton process ran,
 * so nothing there counts as downtime or as success). Latency percentiles of the joined totals
 * are the highest of the segments' (an upper bound: the segments' samples are not kept); the max
 * is exact. One segment is returned as it is. Pure.
 */
export function joinProbeRecords(segments: readonly ProbeRecord[]): ProbeRecord | undefined {
  const ordered = [...segments].sort((a, b) => a.startedAt - b.startedAt);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (first === undefined || last === undefined) return undefined;
  if (ordered.length === 1) return first;
  const bucketMs = first.config.bucketMs;
  const gaps: ProbeGap[] = [...(first.gaps ?? [])];
  for (let i = 1; i < ordered.length; i++) {
    const before = ordered[i - 1];
    const next = ordered[i];
    if (before && next) {
      gaps.push(...(next.gaps ?? []));
      if (next.startedAt > before.stoppedAt) gaps.push({ start: before.stoppedAt, end: next.startedAt, reason: 'not-measured' });
    }
  }
  const cap = first.failures.cap;
  return {
    ...first,
    stoppedAt: last.stoppedAt,
    requests: sumRequests(ordered.map((s) => s.requests)),
    failures: {
      count: sum(ordered, (s) => s.failures.count),
      cap,
      kept: ordered.flatMap((s) => s.failures.kept).slice(0, cap),
    },
    downtime: {
      totalMs: sum(ordered, (s) => s.downtime.totalMs),
      count: sum(ordered, (s) => s.downtime.count),
      cap: first.downtime.cap,
      windows: ordered.flatMap((s) => s.downtime.windows).slice(0, first.downtime.cap),
    },
    buckets: ordered.flatMap((s) => onAxis(s, first.startedAt, bucketMs)),
    streams: joinNullable(
      ordered.map((s) => s.streams),
      sumStreams,
    ),
    sse: joinNullable(
      ordered.map((s) => s.sse),
      sumConnections,
    ),
    websockets: joinNullable(
      ordered.map((s) => s.websockets),
      sumConnections,
    ),
    writes: joinNullable(
      ordered.map((s) => s.writes),
      sumWrites,
    ),
    marks: ordered.flatMap((s) => s.marks),
    windows: ordered.flatMap((s) => s.windows ?? []),
    segments: ordered.flatMap(
      (s) => s.segments ?? [{ startedAt: s.startedAt, stoppedAt: s.stoppedAt, requests: s.requests.total, failed: s.requests.failed }],
    ),
    gaps,
  };
}

const sum = <T>(items: readonly T[], f: (item: T) => number): number => items.reduce((n, x) => n + f(x), 0);
const maxOf = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
};

function addCounts<K extends string>(into: Record<K, number>, from: Record<K, number>): Record<K, number> {
  for (const [k, n] of Object.entries(from) as Array<[K, number]>) into[k] = (into[k] ?? 0) + n;
  return into;
}

/** A segment's buckets moved onto the joined record's axis, on its bucket grid. */
function onAxis(s: ProbeRecord, t0: number, bucketMs: number): TimeBucket[] {
  const shift = s.startedAt - t0;
  if (shift === 0) return s.buckets;
  return s.buckets.map((b) => ({ ...b, t: Math.round((shift + b.t) / bucketMs) * bucketMs }));
}

function sumRequests(all: RequestTotals[]): RequestTotals {
  const out: RequestTotals = {
    total: 0,
    ok: 0,
    failed: 0,
    keepAlive: 0,
    fresh: 0,
    byReason: { status: 0, refused: 0, reset: 0, timeout: 0, error: 0 },
    byStatus: {},
    byVersion: {},
    p50Ms: maxOf(all.map((t) => t.p50Ms)),
    p90Ms: maxOf(all.map((t) => t.p90Ms)),
    p99Ms: maxOf(all.map((t) => t.p99Ms)),
    maxMs: maxOf(all.map((t) => t.maxMs)),
  };
  for (const t of all) {
    out.total += t.total;
    out.ok += t.ok;
    out.failed += t.failed;
    out.keepAlive += t.keepAlive;
    out.fresh += t.fresh;
    addCounts(out.byReason, t.byReason);
    addCounts(out.byStatus, t.byStatus);
    addCounts(out.byVersion, t.byVersion);
  }
  return out;
}

function joinNullable<T>(all: Array<T | null>, join: (present: T[]) => T): T | null {
  const present = all.filter((x): x is T => x !== null);
  return present.length === 0 ? null : join(present);
}

function capped<T>(lists: Array<{ count: number; cap: number; kept: T[] }>): { count: number; cap: number; kept: T[] } {
  const cap = lists[0]?.cap ?? 0;
  return { count: sum(lists, (l) => l.count), cap, kept: lists.flatMap((l) => l.kept).slice(0, cap) };
}

function sumStreams(all: StreamTotals[]): StreamTotals {
  const byVersion: StreamTotals['byVersion'] = {};
  for (const s of all)
    for (const [v, x] of Object.entries(s.byVersion)) {
      const into = (byVersion[v] ??= { started: 0, completed: 0, cut: 0 });
      into.started += x.started;
      into.completed += x.completed;
      into.cut += x.cut;
    }
  return {
    path: all[0]?.path ?? '',
    target: all[0]?.target ?? 0,
    started: sum(all, (s) => s.started),
    completed: sum(all, (s) => s.completed),
    cut: sum(all, (s) => s.cut),
    startFailed: sum(all, (s) => s.startFailed),
    // Only the last segment stopped with streams open; the earlier ones were killed with theirs.
    openAtStop: all.at(-1)?.openAtStop ?? 0,
    bytesExpected: sum(all, (s) => s.bytesExpected),
    bytesReceived: sum(all, (s) => s.bytesReceived),
    cuts: capped(all.map((s) => s.cuts)),
    byVersion,
  };
}

function joinGaps(all: Array<GapSummary | null>): GapSummary | null {
  const present = all.filter((g): g is GapSummary => g !== null);
  if (present.length === 0) return null;
  return {
    count: sum(present, (g) => g.count),
    p50Ms: Math.max(...present.map((g) => g.p50Ms)),
    p99Ms: Math.max(...present.map((g) => g.p99Ms)),
    maxMs: Math.max(...present.map((g) => g.maxMs)),
  };
}

function sumConnections(all: ConnectionTotals[]): ConnectionTotals {
  const byVersion: Record<string, ConnectionVersionTotals> = {};
  for (const c of all)
    for (const [v, x] of Object.entries(c.byVersion)) {
      const into = byVersion[v];
      byVersion[v] =
        into === undefined
          ? x
          : {
              opened: into.opened + x.opened,
              closedGracefully: into.closedGracefully + x.closedGracefully,
              resumed: into.resumed + x.resumed,
              cut: into.cut + x.cut,
              messagesLost: into.messagesLost + x.messagesLost,
              messagesDuplicated: into.messagesDuplicated + x.messagesDuplicated,
              resumeGapMs: joinGaps([into.resumeGapMs, x.resumeGapMs]),
            };
    }
  return {
    path: all[0]?.path ?? '',
    target: all[0]?.target ?? 0,
    opened: sum(all, (c) => c.opened),
    cut: sum(all, (c) => c.cut),
    closedGracefully: sum(all, (c) => c.closedGracefully),
    resumed: sum(all, (c) => c.resumed),
    resumeGapMs: joinGaps(all.map((c) => c.resumeGapMs)),
    messagesLost: sum(all, (c) => c.messagesLost),
    messagesDuplicated: sum(all, (c) => c.messagesDuplicated),
    openFailed: sum(all, (c) => c.openFailed),
    openAtStop: all.at(-1)?.openAtStop ?? 0,
    messages: sum(all, (c) => c.messages),
    cuts: capped(all.map((c) => c.cuts)),
    resumes: capped(all.map((c) => c.resumes)),
    byVersion,
  };
}

function sumWrites(all: WriteTotals[]): WriteTotals {
  return {
    path: all[0]?.path ?? '',
    rps: all[0]?.rps ?? 0,
    attempted: sum(all, (w) => w.attempted),
    verified: sum(all, (w) => w.verified),
    lost: sum(all, (w) => w.lost),
    writeFailed: sum(all, (w) => w.writeFailed),
    readFailed: sum(all, (w) => w.readFailed),
    losses: capped(all.map((w) => w.losses)),
  };
}
