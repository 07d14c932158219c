import { Client, Pool } from 'undici';
import { classifyError } from './classify-error.js';
import type { RequestLog } from './request-log.js';

export interface HttpLoadOptions {
  origin: string;
  path: string;
  rps: number;
  freshConnectionShare: number;
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  log: RequestLog;
}

/** Whether request number k (0-based) goes on a fresh connection: spreads the share exactly. */
export function isFresh(k: number, share: number): boolean {
  return Math.floor((k + 1) * share) > Math.floor(k * share);
}

/**
 * Open-loop HTTP load: request k is sent at start + k/rps whether or not earlier ones finished
 * (a closed loop would slow down exactly when the service does and hide the outage). A share
 * of requests use a connection of their own, like new visitors; the rest reuse a keep-alive
 * pool, like browsers and proxies, which is where a drain without `Connection: close` shows.
 */
export class HttpLoad {
  private readonly pool: Pool;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private startedAt = 0;
  private stopped = false;

  constructor(private readonly options: HttpLoadOptions) {
    this.pool = new Pool(options.origin, { connections: 64, keepAliveTimeout: 4_000 });
  }

  start(): void {
    this.startedAt = this.options.now();
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    const interval = 1000 / this.options.rps;
    const now = this.options.now();
    while (this.startedAt + this.sent * interval <= now) {
      this.send(this.sent);
      this.sent += 1;
    }
    const next = this.startedAt + this.sent * interval - this.options.now();
    this.timer = setTimeout(() => this.tick(), Math.max(0, next));
  }

  private send(k: number): void {
    const fresh = isFresh(k, this.options.freshConnectionShare);
    const p = this.one(fresh).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async one(fresh: boolean): Promise<void> {
    const { now, log, timeoutMs, versionHeader } = this.options;
    const sentAt = now();
    const client = fresh ? new Client(this.options.origin) : undefined;
    const dispatcher = client ?? this.pool;
    try {
      const res = await dispatcher.request({
        path: this.options.path,
        method: 'GET',
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(fresh ? { reset: true } : {}),
      });
      await res.body.dump({ limit: 1 << 20 });
      const header = res.headers[versionHeader];
      const version = typeof header === 'string' ? header : Array.isArray(header) ? (header[0] ?? null) : null;
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      log.add({
        sentAt,
        doneAt: now(),
        status: res.statusCode,
        version,
        fresh,
        ...(ok ? {} : { failure: { reason: 'status', message: `HTTP ${res.statusCode}` } }),
      });
    } catch (error) {
      const { reason, message } = classifyError(error);
      log.add({ sentAt, doneAt: now(), status: null, version: null, fresh, failure: { reason, message } });
    } finally {
      if (client !== undefined) void client.destroy().catch(() => undefined);
    }
  }

  /** Stops sending; waits for requests in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await this.pool.destroy().catch(() => undefined);
  }
}
