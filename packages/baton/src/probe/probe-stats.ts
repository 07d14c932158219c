import type { VersionWindow, VersionWindowQuery } from './version-window.js';

/** Read access to the live traffic probe, for gates and the report. */
export interface ProbeReader {
  /** Totals since the probe started (or since `sinceMs`, epoch ms). */
  stats(sinceMs?: number): ProbeStats;
  /**
   * The new version's own answers since a traffic change: when the change measurably took
   * effect, the share it took, and each version's figures from then on (probe/version-window).
   */
  window(query: VersionWindowQuery): VersionWindow;
}

export interface ProbeStats {
  requests: number;
  failed: number;
  /** Downloads started plus SSE/WebSocket connections opened. */
  streamsStarted: number;
  /** Abrupt cuts only (RST, EOF mid-body, no close frame): graceful closes are not cuts. */
  streamsCut: number;
  /** SSE/WebSocket reconnects after a graceful close, and the longest gap among them. */
  connectionsResumed?: number;
  resumeGapMaxMs?: number | null;
  /** Messages (SSE event ids, WebSocket ids) clients never received across reconnects. */
  messagesLost?: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests answered per version label, e.g. { v1: 900, v2: 100 }. */
  byVersion: Record<string, number>;
}
