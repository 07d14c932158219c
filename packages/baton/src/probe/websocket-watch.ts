import WebSocket from 'ws';
import { ConnectionTally } from './connection-tally.js';
import type { ExchangeOutcome } from './keep-open.js';
import type { LongLivedOptions } from './long-lived-options.js';

/** Close codes that end a session on purpose: normal, going away, service restart, try again later. */
const GRACEFUL_CODES = new Set([1000, 1001, 1012, 1013]);

/**
 * WebSocket clients that reconnect when the server ends the session, resuming with
 * `?after=<last id>` (messages carrying a numeric `id` are checked for gaps and repeats). A close
 * frame with a graceful code is a graceful close; an error, a reset or a close without a close
 * frame (1006) is a cut.
 */
export class WebSocketWatch {
  readonly tally: ConnectionTally;

  constructor(private readonly options: LongLivedOptions & { /** ws:// or wss:// URL. */ url: string }) {
    this.tally = new ConnectionTally(options.path, options.target, options.cap, options.now);
  }

  private urlFor(slot: number): string {
    const after = this.tally.resumeAfter(slot);
    if (after === undefined) return this.options.url;
    const url = new URL(this.options.url);
    url.searchParams.set('after', String(after));
    return url.toString();
  }

  readonly runOnce = (signal: AbortSignal, slot = 0): Promise<ExchangeOutcome> =>
    new Promise((resolve) => {
      const { now, timeoutMs, versionHeader } = this.options;
      const openedAt = now();
      let began = false;
      let version: string | null = null;
      let settled = false;
      const ws = new WebSocket(this.urlFor(slot), { handshakeTimeout: timeoutMs });
      const finish = (graceful: boolean, message: string): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(this.tally.ended(slot, { began, openedAt, version, stopped: signal.aborted, end: graceful ? 'graceful' : 'cut', message }));
      };
      const onAbort = (): void => {
        ws.terminate();
        finish(false, 'stopped');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('upgrade', (res) => {
        const header = res.headers[versionHeader];
        version = typeof header === 'string' ? header : null;
      });
      ws.on('open', () => {
        began = true;
        this.tally.didOpen(slot, now(), version);
      });
      ws.on('message', (data) => this.tally.message(slot, messageId(data)));
      ws.on('unexpected-response', (_req, res) => {
        ws.terminate();
        finish(false, `HTTP ${res.statusCode ?? 0}`);
      });
      ws.on('error', (error) => {
        ws.terminate();
        finish(false, error.message);
      });
      ws.on('close', (code, reason) =>
        finish(GRACEFUL_CODES.has(code), `closed by server: ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`),
      );
    });
}

/** The numeric `id` of a JSON message, if it has one. */
function messageId(data: WebSocket.RawData): number | undefined {
  try {
    const parsed: unknown = JSON.parse(String(data));
    if (parsed !== null && typeof parsed === 'object' && 'id' in parsed && typeof parsed.id === 'number' && Number.isInteger(parsed.id))
      return parsed.id;
  } catch {
    // Not JSON: a message without an id.
  }
  return undefined;
}
