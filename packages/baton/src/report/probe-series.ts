import type { ProbeRecord } from '../probe/probe-record.js';

/**
 * A probe record as aligned series for charts, one point per bucket: answered requests per
 * second by version, failed requests per second, p99 latency, and the moments streams and
 * SSE/WebSocket connections were cut and writes were lost (from the kept lists: `capped` says
 * when the record kept only the first of them). Shared by the html report and the dashboard.
 */
export interface ProbeSeries {
  /** Bucket start, seconds since the probe started. */
  t: number[];
  bucketMs: number;
  versions: string[];
  answeredPerSecond: Record<string, number[]>;
  failedPerSecond: number[];
  /** null where a bucket had no answer (a gap, not a zero). */
  p99Ms: Array<number | null>;
  streamsCut: number[];
  connectionsCut: number[];
  writesLost: number[];
  capped: { streamsCut: boolean; connectionsCut: boolean; writesLost: boolean };
}

export function probeSeries(p: ProbeRecord): ProbeSeries {
  const bucketMs = p.config.bucketMs;
  const perSecond = 1000 / bucketMs;
  const versions: string[] = [];
  for (const b of p.buckets) for (const v of Object.keys(b.byVersion)) if (!versions.includes(v)) versions.push(v);
  // Buckets by their start: a record joined from segments has none inside its gaps.
  const indexOf = new Map(p.buckets.map((b, i) => [b.t, i]));
  const countAt = (times: number[]): number[] => {
    const out = p.buckets.map(() => 0);
    for (const at of times) {
      const i = indexOf.get(Math.floor((at - p.startedAt) / bucketMs) * bucketMs);
      if (i !== undefined) out[i] = (out[i] ?? 0) + 1;
    }
    return out;
  };
  const connectionCuts = [...(p.sse?.cuts.kept ?? []), ...(p.websockets?.cuts.kept ?? [])].map((c) => c.at);
  return {
    t: p.buckets.map((b) => b.t / 1000),
    bucketMs,
    versions,
    answeredPerSecond: Object.fromEntries(versions.map((v) => [v, p.buckets.map((b) => (b.byVersion[v] ?? 0) * perSecond)])),
    failedPerSecond: p.buckets.map((b) => b.failed * perSecond),
    p99Ms: p.buckets.map((b) => b.p99Ms),
    streamsCut: countAt((p.streams?.cuts.kept ?? []).map((c) => c.at)),
    connectionsCut: countAt(connectionCuts),
    writesLost: countAt((p.writes?.losses.kept ?? []).map((l) => l.at)),
    capped: {
      streamsCut: (p.streams?.cuts.count ?? 0) > (p.streams?.cuts.kept.length ?? 0),
      connectionsCut: (p.sse?.cuts.count ?? 0) + (p.websockets?.cuts.count ?? 0) > connectionCuts.length,
      writesLost: (p.writes?.losses.count ?? 0) > (p.writes?.losses.kept.length ?? 0),
    },
  };
}
