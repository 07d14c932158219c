/** What every long-lived watcher (downloads, SSE, WebSocket) is told. */
export interface LongLivedOptions {
  path: string;
  /** Exchanges kept open at once. */
  target: number;
  /** Time to headers, and the longest silence within a body. */
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  /** Individual cuts and resumes kept in the record. */
  cap: number;
}
