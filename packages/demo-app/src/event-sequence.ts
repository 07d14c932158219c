/**
 * The event sequence every pod of every version agrees on: event N is due at N·intervalMs since
 * the epoch, and its content is a function of N. Any pod can therefore answer "everything after
 * id K" for a client that reconnects with `Last-Event-ID: K` (SSE) or `?after=K` (WebSocket),
 * without shared state: nothing is lost or sent twice across pods. An app whose events are not
 * derivable this way needs a shared log (a database table, a NATS JetStream stream, Redis
 * streams) to replay from; the resume contract for the client stays the same.
 */
export class EventSequence {
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The id of the latest event that is due now. */
  current(): number {
    return Math.floor(this.now() / this.intervalMs);
  }

  /** Parses a client's last seen id; undefined when absent or not a non-negative integer. */
  static parseLastId(raw: string | string[] | null | undefined): number | undefined {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
    return Number(value.trim());
  }

  /**
   * The first id to send: after the client's last id (replaying at most `maxReplay` missed
   * events), else the current one for a new client.
   */
  firstToSend(lastId: number | undefined, maxReplay = 10_000): number {
    const current = this.current();
    if (lastId === undefined) return current;
    return Math.max(lastId + 1, current - maxReplay + 1);
  }
}
