import { Client } from 'undici';
import { ConnectionTally } from './connection-tally.js';
import type { ExchangeOutcome } from './keep-open.js';

export interface SseWatchOptions {
  origin: string;
  path: string;
  target: number;
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  cap: number;
}

/**
 * Server-sent event subscribers: a connection the server closes (or that goes silent past the
 * timeout) before the probe stops is cut.
 */
export class SseWatch {
  readonly tally: ConnectionTally;

  constructor(private readonly options: SseWatchOptions) {
    this.tally = new ConnectionTally(options.path, options.target, options.cap, options.now);
  }

  readonly runOnce = async (signal: AbortSignal): Promise<ExchangeOutcome> => {
    const { now, timeoutMs, versionHeader } = this.options;
    const client = new Client(this.options.origin);
    const openedAt = now();
    let began = false;
    let version: string | null = null;
    try {
      const res = await client.request({
        path: this.options.path,
        method: 'GET',
        headers: { accept: 'text/event-stream' },
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        return this.tally.ended({ began, openedAt, version, stopped: signal.aborted, message: `HTTP ${res.statusCode}` });
      }
      began = true;
      this.tally.didOpen(openedAt);
      const header = res.headers[versionHeader];
      version = typeof header === 'string' ? header : null;
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += (chunk as Buffer).toString('utf8');
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          this.tally.message();
          buffer = buffer.slice(i + 2);
        }
      }
      return this.tally.ended({ began, openedAt, version, stopped: signal.aborted, message: 'closed by server' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.tally.ended({ began, openedAt, version, stopped: signal.aborted, message });
    } finally {
      void client.destroy().catch(() => undefined);
    }
  };
}
