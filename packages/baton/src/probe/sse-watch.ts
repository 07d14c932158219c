import { Client } from 'undici';
import { ConnectionTally, type ConnectionEnd } from './connection-tally.js';
import type { ExchangeOutcome } from './keep-open.js';
import type { LongLivedOptions } from './long-lived-options.js';

/**
 * Server-sent event subscribers that behave like EventSource: when the server ends the response,
 * the client reconnects with `Last-Event-ID` (the last `id:` it saw). An end at an event boundary
 * is graceful; an error, a reset, or an end in the middle of an event is a cut. Silence past the
 * timeout is a cut too, so point SSE at a stream that ticks.
 */
export class SseWatch {
  readonly tally: ConnectionTally;

  constructor(private readonly options: LongLivedOptions & { origin: string }) {
    this.tally = new ConnectionTally(options.path, options.target, options.cap, options.now);
  }

  readonly runOnce = async (signal: AbortSignal, slot = 0): Promise<ExchangeOutcome> => {
    const { now, timeoutMs, versionHeader } = this.options;
    const client = new Client(this.options.origin);
    const openedAt = now();
    let began = false;
    let version: string | null = null;
    const ended = (end: ConnectionEnd, message: string): ExchangeOutcome =>
      this.tally.ended(slot, { began, openedAt, version, stopped: signal.aborted, end, message });
    try {
      const lastId = this.tally.resumeAfter(slot);
      const res = await client.request({
        path: this.options.path,
        method: 'GET',
        headers: { accept: 'text/event-stream', ...(lastId !== undefined ? { 'last-event-id': String(lastId) } : {}) },
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        return ended('cut', `HTTP ${res.statusCode}`);
      }
      began = true;
      const header = res.headers[versionHeader];
      version = typeof header === 'string' ? header : null;
      this.tally.didOpen(slot, now(), version);
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += (chunk as Buffer).toString('utf8').replaceAll('\r\n', '\n');
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const id = /^id: ?(\d+)$/m.exec(event);
          // Only events with data count as messages (not `retry:` hints or comments).
          if (/^data:/m.test(event)) this.tally.message(slot, id ? Number(id[1]) : undefined);
        }
      }
      // The server ended the response: cleanly only if it ended between events.
      return buffer.trim() === '' ? ended('graceful', 'ended by server') : ended('cut', 'ended in the middle of an event');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return ended('cut', message);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  };
}
