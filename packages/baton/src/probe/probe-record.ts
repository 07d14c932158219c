/**
 * What a probe run measured, as compact JSON: aggregates per time bucket, individual failures
 * kept up to a cap (with the full count beside them). Everything here was measured; nothing is
 * estimated. Times are epoch milliseconds unless named `...Ms` (a duration) or `t` (offset from
 * `startedAt`).
 */
export interface ProbeRecord {
  schema: 'baton.probe/v1';
  url: string;
  path: string;
  startedAt: number;
  stoppedAt: number;
  config: {
    rps: number;
    freshConnectionShare: number;
    timeoutMs: number;
    versionHeader: string;
    bucketMs: number;
    /** Gap without a successful response that counts as downtime. */
    noSuccessThresholdMs: number;
  };
  requests: RequestTotals;
  /** Individual failed requests, the first `cap` of them; `count` is the full number. */
  failures: { count: number; cap: number; kept: RequestFailure[] };
  /** `totalMs` and `count` cover every window; `windows` keeps the first `cap` of them. */
  downtime: { totalMs: number; count: number; cap: number; windows: DowntimeWindow[] };
  /** One entry per bucket of `config.bucketMs`, in time order (empty buckets included). */
  buckets: TimeBucket[];
  streams: StreamTotals | null;
  sse: ConnectionTotals | null;
  websockets: ConnectionTotals | null;
  writes: WriteTotals | null;
  /** Step boundaries (probe.mark), in order. */
  marks: { at: number; label: string }[];
}

/** Why a request counts as failed. */
export type FailureReason = 'status' | 'refused' | 'reset' | 'timeout' | 'error';

export interface RequestTotals {
  /** Requests sent and finished (answered or failed) before the probe stopped. */
  total: number;
  ok: number;
  failed: number;
  /** Sent on a keep-alive connection vs on a connection of their own. */
  keepAlive: number;
  fresh: number;
  byReason: Record<FailureReason, number>;
  /** Answers by HTTP status code, e.g. {"200": 980, "500": 20}. */
  byStatus: Record<string, number>;
  /** Answers by the version header; a missing header counts as "unknown". */
  byVersion: Record<string, number>;
  /** Latency of answered requests (any status), milliseconds; null when none answered. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface RequestFailure {
  at: number;
  reason: FailureReason;
  status: number | null;
  version: string | null;
  latencyMs: number;
  fresh: boolean;
  message: string | null;
}

export interface DowntimeWindow {
  start: number;
  end: number;
  /** Failed requests sent inside the window. */
  failed: number;
  /** 'failures': requests failed; 'no-success': nothing succeeded for longer than the threshold. */
  kind: 'failures' | 'no-success';
}

export interface TimeBucket {
  /** Offset of the bucket's start from `startedAt`, ms. */
  t: number;
  requests: number;
  failed: number;
  byVersion: Record<string, number>;
  /** p99 latency of the bucket's answered requests; null when none answered. */
  p99Ms: number | null;
}

export interface StreamTotals {
  path: string;
  /** Concurrent streams the probe kept open. */
  target: number;
  /** Streams whose response began (2xx headers received). */
  started: number;
  completed: number;
  /** Began, then ended early or errored before the probe stopped. */
  cut: number;
  /** Never began: refused, non-2xx, timed out. */
  startFailed: number;
  /** Still running when the probe stopped (not cut). */
  openAtStop: number;
  bytesExpected: number;
  bytesReceived: number;
  cuts: { count: number; cap: number; kept: StreamCut[] };
}

export interface StreamCut {
  at: number;
  startedAt: number;
  expectedBytes: number;
  receivedBytes: number;
  version: string | null;
  message: string;
}

/** Long-lived connections (SSE, WebSocket): cut = closed by the server before the probe stopped. */
export interface ConnectionTotals {
  path: string;
  target: number;
  opened: number;
  cut: number;
  openFailed: number;
  openAtStop: number;
  /** Events (SSE) or messages (WebSocket) received. */
  messages: number;
  cuts: { count: number; cap: number; kept: ConnectionCut[] };
}

export interface ConnectionCut {
  at: number;
  openedAt: number;
  version: string | null;
  message: string;
}

export interface WriteTotals {
  path: string;
  rps: number;
  attempted: number;
  /** Written, then read back with the same content. */
  verified: number;
  /** Written (the write was acknowledged), then missing or different on read: data loss. */
  lost: number;
  /** The write itself failed (no acknowledgement): not data loss, but a failed request. */
  writeFailed: number;
  /** The read kept failing, so the check could not conclude. */
  readFailed: number;
  losses: { count: number; cap: number; kept: WriteLoss[] };
}

export interface WriteLoss {
  at: number;
  id: string;
  expected: string;
  /** What the read returned: a status line or the differing value. */
  got: string;
  writtenBy: string | null;
  readBy: string | null;
}
