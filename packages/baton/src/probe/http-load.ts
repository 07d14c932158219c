import { Client, Pool } from 'undici';
import { classifyError } from './classify-error.js';
import type { RequestLog } from './request-log.js';

/**
 * How long keep-alive clients live. Real clients and proxies do not hold their connections
 * forever: a visitor's browser session ends, nginx closes a client connection after
 * `keepalive_requests` (default 1000) requests, Envoy after `max_requests_per_connection` /
 * `max_connection_duration`. A probe whose keep-alive connections never end stays on the pods it
 * first reached, and a Service switch or a replica-ratio canary then looks like it moved nothing.
 * The probe plays `clients` keep-alive clients at once (requests shared round-robin), each with
 * up to `connectionsPerClient` connections as a browser has; a client is replaced by a new one
 * (new connections) after `maxRequests` requests or `maxAgeMs`.
 */
export interface KeepAliveMix {
  /** Keep-alive clients at once. Default 8. */
  clients: number;
  /** Connections one client may open while its others are busy (browsers open up to 6 per host), so a slow answer never holds requests back. Default 8. */
  connectionsPerClient: number;
  /** A client is replaced after this many requests. Default 100. */
  maxRequests: number;
  /** ...or after this long. Default 10000 ms. */
  maxAgeMs: number;
}

/** The A/B share: this share of requests carries the route's header or cookie. */
export interface RoutedShare {
  share: number;
  headers: Record<string, string>;
}

export interface HttpLoadOptions {
  origin: string;
  path: string;
  rps: number;
  freshConnectionShare: number;
  keepAlive?: Partial<KeepAliveMix>;
  routed?: RoutedShare;
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  log: RequestLog;
}

export const defaultKeepAlive: KeepAliveMix = { clients: 8, connectionsPerClient: 8, maxRequests: 100, maxAgeMs: 10_000 };

/** Whether request number k (0-based) is in a share: spreads the share exactly over requests. */
export function isFresh(k: number, share: number): boolean {
  return Math.floor((k + 1) * share) > Math.floor(k * share);
}

interface Slot {
  client: Pool;
  openedAt: number;
  sent: number;
}

/**
 * Open-loop HTTP load: request k is sent at start + k/rps whether or not earlier ones finished
 * (a closed loop would slow down exactly when the service does and hide the outage). A share
 * of requests use a connection of their own, like new visitors; the rest go over a few keep-alive
 * clients, like browsers and proxies, each replaced after `maxRequests` requests or `maxAgeMs`
 * (see KeepAliveMix) — where a drain without `Connection: close` shows, and where a
 * Service switch reaches clients only as their connections are renewed. A routed share carries
 * the A/B route's header or cookie, so the new version's routed answers can be judged.
 */
export class HttpLoad {
  private readonly slots: Array<Slot | undefined>;
  private readonly keepAlive: KeepAliveMix;
  private readonly retired = new Set<Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private startedAt = 0;
  private stopped = false;

  constructor(private readonly options: HttpLoadOptions) {
    this.keepAlive = { ...defaultKeepAlive, ...options.keepAlive };
    // Clients exist before the probe starts, so its first requests do not pay for building them.
    this.slots = Array.from({ length: Math.max(1, this.keepAlive.clients) }, () => this.newSlot(options.now()));
  }

  /** The keep-alive mix in effect (for the record). */
  get mix(): KeepAliveMix {
    return { ...this.keepAlive };
  }

  start(): void {
    this.startedAt = this.options.now();
    this.tick();
  }

  private newSlot(now: number): Slot {
    return {
      client: new Pool(this.options.origin, { connections: this.keepAlive.connectionsPerClient, keepAliveTimeout: 4_000 }),
      openedAt: now,
      sent: 0,
    };
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
    const routed = this.options.routed !== undefined && isFresh(k, this.options.routed.share);
    const p = this.one(fresh, routed, k).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** The keep-alive client for request k: round-robin, replaced when it is used up. */
  private keepAliveClient(k: number): Pool {
    const index = k % this.slots.length;
    const now = this.options.now();
    let slot = this.slots[index];
    if (slot !== undefined && (slot.sent >= this.keepAlive.maxRequests || now - slot.openedAt >= this.keepAlive.maxAgeMs)) {
      // close() lets requests already queued on it finish, as a client that goes away does;
      // only new requests go to the new one.
      const closing = slot.client
        .close()
        .catch(() => undefined)
        .finally(() => this.retired.delete(closing));
      this.retired.add(closing);
      slot = undefined;
    }
    if (slot === undefined) {
      slot = this.newSlot(now);
      this.slots[index] = slot;
    }
    slot.sent += 1;
    return slot.client;
  }

  private async one(fresh: boolean, routed: boolean, k: number): Promise<void> {
    const { now, log, timeoutMs, versionHeader } = this.options;
    const sentAt = now();
    const own = fresh ? new Client(this.options.origin) : undefined;
    const dispatcher = own ?? this.keepAliveClient(k);
    try {
      const res = await dispatcher.request({
        path: this.options.path,
        method: 'GET',
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(routed && this.options.routed ? { headers: this.options.routed.headers } : {}),
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
        routed,
        ...(ok ? {} : { failure: { reason: 'status', message: `HTTP ${res.statusCode}` } }),
      });
    } catch (error) {
      const { reason, message } = classifyError(error);
      log.add({ sentAt, doneAt: now(), status: null, version: null, fresh, routed, failure: { reason, message } });
    } finally {
      if (own !== undefined) void own.destroy().catch(() => undefined);
    }
  }

  /** Stops sending; waits for requests in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.retired, ...this.slots.map((s) => s?.client.destroy())]);
  }
}
