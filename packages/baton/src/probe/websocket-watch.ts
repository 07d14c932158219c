import WebSocket from 'ws';
import { ConnectionTally } from './connection-tally.js';
import type { ExchangeOutcome } from './keep-open.js';

export interface WebSocketWatchOptions {
  /** ws:// or wss:// URL. */
  url: string;
  path: string;
  target: number;
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  cap: number;
}

/** WebSocket clients: a connection closed by the server (any code) before the probe stops is cut. */
export class WebSocketWatch {
  readonly tally: ConnectionTally;

  constructor(private readonly options: WebSocketWatchOptions) {
    this.tally = new ConnectionTally(options.path, options.target, options.cap, options.now);
  }

  readonly runOnce = (signal: AbortSignal): Promise<ExchangeOutcome> =>
    new Promise((resolve) => {
      const { now, timeoutMs, versionHeader } = this.options;
      const openedAt = now();
      let began = false;
      let version: string | null = null;
      let settled = false;
      const ws = new WebSocket(this.options.url, { handshakeTimeout: timeoutMs });
      const finish = (message: string): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(this.tally.ended({ began, openedAt, version, stopped: signal.aborted, message }));
      };
      const onAbort = (): void => {
        ws.terminate();
        finish('stopped');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('upgrade', (res) => {
        const header = res.headers[versionHeader];
        version = typeof header === 'string' ? header : null;
      });
      ws.on('open', () => {
        began = true;
        this.tally.didOpen(openedAt);
      });
      ws.on('message', () => this.tally.message());
      ws.on('unexpected-response', (_req, res) => {
        ws.terminate();
        finish(`HTTP ${res.statusCode ?? 0}`);
      });
      ws.on('error', (error) => {
        ws.terminate();
        finish(error.message);
      });
      ws.on('close', (code, reason) => finish(`closed by server: ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`));
    });
}
