import type { VersionWindow } from './version-window.js';
import type { KeepAliveMix } from './http-load.js';

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
    /** How keep-alive connections were reused and renewed (absent in records before it existed). */
    keepAlive?: KeepAliveMix;
    /** Share of requests sent with the A/B route's header or cookie, and which header (values not kept). */
    routed?: { share: number; headers: string[] };
  };
  requests: RequestTotals;
  /** Individual failed requests, the first `cap` of them; `count` is the full number. */
  failures: { count: number; cap: number; kept: RequestFailure[] };
  /** `totalMs` and `count` cover every window; `windows` keeps the first `cap` of them. */
  downtime: { totalMs: number; count: number; cap: number; windows: DowntimeWindow[] };
  /**
   * One entry per bucket of `config.bucketMs`, in time order (empty buckets included). A record
   * joined from segments (probe-segments.ts) has no buckets inside its `gaps`.
   */
  buckets: TimeBucket[];
  streams: StreamTotals | null;
  sse: ConnectionTotals | null;
  websockets: ConnectionTotals | null;
  writes: WriteTotals | null;
  /** Step boundaries (probe.mark), in order. */
  marks: { at: number; label: string }[];
  /** The version windows gates measured (the last measurement per label), in order of first measurement. */
  windows?: VersionWindow[];
  /**
   * A run probed by more than one process (killed, then resumed): each probe's span, in order.
   * Absent when one probe measured the whole record.
   */
  segments?: ProbeSegmentSpan[];
  /**
   * Between segments no baton process was running, so nothing was measured: neither downtime nor
   * success. Every total above counts the segments only.
   */
  gaps?: ProbeGap[];
}

/** One probe's part of a joined record. */
export interface ProbeSegmentSpan {
  startedAt: number;
  stoppedAt: number;
  requests: number;
  failed: number;
}

/** A span no probe measured (baton was not running). */
export interface ProbeGap {
  start: number;
  end: number;
  reason: 'not-measured';
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
  /** By the version that served the download. */
  byVersion: Record<string, { started: number; completed: number; cut: number }>;
}

export interface StreamCut {
  at: number;
  startedAt: number;
  expectedBytes: number;
  receivedBytes: number;
  version: string | null;
  message: string;
}

/**
 * Long-lived connections (SSE, WebSocket). A connection the server ends gracefully (WebSocket
 * close 1000/1001, an SSE response that ends at an event boundary) is `closedGracefully`, and the
 * client reconnects, resuming after the last id it saw: `resumed`, with the reconnect gap and the
 * messages lost or repeated across it. One that ends abruptly (RST, EOF mid-event, no close
 * frame, silence past the timeout) is `cut`.
 */
export interface ConnectionTotals {
  path: string;
  target: number;
  opened: number;
  /** Ended abruptly by the server side before the probe stopped. */
  cut: number;
  closedGracefully: number;
  /** Reconnects after a graceful close (each has a gap in `resumeGapMs`). */
  resumed: number;
  /** From the server's graceful close to the client's new connection. */
  resumeGapMs: GapSummary | null;
  /** Ids skipped across the whole sequence (each client's ids should follow each other). */
  messagesLost: number;
  /** Ids received again. */
  messagesDuplicated: number;
  openFailed: number;
  openAtStop: number;
  /** Events (SSE) or messages (WebSocket) received. */
  messages: number;
  cuts: { count: number; cap: number; kept: ConnectionCut[] };
  /** Every reconnect after a server-side end (graceful or cut), the first `cap`. */
  resumes: { count: number; cap: number; kept: ResumeRecord[] };
  /** By the version of the pod that served (and ended) the connection. */
  byVersion: Record<string, ConnectionVersionTotals>;
}

export interface GapSummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ConnectionVersionTotals {
  opened: number;
  closedGracefully: number;
  resumed: number;
  cut: number;
  messagesLost: number;
  messagesDuplicated: number;
  resumeGapMs: GapSummary | null;
}

export interface ResumeRecord {
  /** When the new connection opened. */
  at: number;
  /** How the previous connection ended. */
  after: 'graceful' | 'cut';
  closedBy: string;
  resumedOn: string;
  gapMs: number;
  lost: number;
  duplicated: number;
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
