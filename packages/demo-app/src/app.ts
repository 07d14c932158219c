import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { AppConfig } from './config.js';
import { openDatabase } from './database.js';
import type { Database } from './database.js';
import { handleEvents } from './events-route.js';
import { Lifecycle } from './lifecycle.js';
import { handleStream } from './stream-route.js';
import { createStreamMetrics } from './stream-metrics.js';
import { handleUsers } from './users-route.js';
import type { UserCache } from './users-route.js';
import { UsersStore } from './users-store.js';
import { createWebSocketRoute } from './websocket-route.js';

export interface DemoAppOptions {
  random?: () => number;
  now?: () => number;
  /** Replaces the pool opened from config.databaseUrl (tests). */
  database?: Database;
  /** Where shutdown progress goes; defaults to stderr lines. */
  log?: (message: string) => void;
}

export interface DemoApp {
  server: Server;
  lifecycle: Lifecycle;
  listen(): Promise<AddressInfo>;
  /** Graceful drain (see server.ts); resolves when everything is closed. Idempotent. */
  shutdown(): Promise<{ endedAtDeadline: number }>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Builds the demo service without listening yet; no side effects until `listen()`. */
export function createDemoApp(config: AppConfig, options: DemoAppOptions = {}): DemoApp {
  const random = options.random ?? Math.random;
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const lifecycle = new Lifecycle({
    startupDelayMs: config.startupDelayMs,
    failReadiness: config.failReadiness,
    ...(options.now ? { now: options.now } : {}),
  });
  const db =
    options.database ??
    (config.databaseUrl === undefined ? undefined : openDatabase({ url: config.databaseUrl, applicationName: config.applicationName }));
  const users = db === undefined ? undefined : new UsersStore(db, config.version);
  const cache: UserCache = new Map();
  const ws = createWebSocketRoute({
    lifecycle,
    version: config.version,
    podName: config.podName,
    ...(options.now ? { now: options.now } : {}),
  });
  const metrics = createStreamMetrics(lifecycle, config.version);

  async function ready(): Promise<{ ok: boolean; reason?: string }> {
    if (config.failReadiness) return { ok: false, reason: 'DEMO_FAIL_READINESS' };
    const state = lifecycle.state;
    if (state !== 'ready') return { ok: false, reason: state };
    if (db !== undefined && !(await db.reachable())) return { ok: false, reason: 'database unreachable' };
    return { ok: true };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://app');
    const path = url.pathname;
    if (path === '/users' || path.startsWith('/users/')) return handleUsers(req, res, path, users, cache);
    req.resume();
    if (path === '/admin/cache-clear' && req.method === 'POST') {
      const cleared = cache.size;
      cache.clear();
      return json(res, 200, { cleared: { users: cleared } });
    }
    if (path === '/admin/drain' && req.method === 'POST') {
      // Drain without exiting (baton holds this pod out of the Service): resumable streams end
      // cleanly now, downloads keep going; /metrics shows what is left.
      lifecycle.startDrain();
      const ended = lifecycle.endResumable(config.drainJitterMs, random);
      return json(res, 200, { ended, open: lifecycle.openCounts() });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    switch (path) {
      case '/':
        if (random() < config.errorRate) return json(res, 500, { error: 'injected failure', version: config.version });
        return json(res, 200, { version: config.version, pod: config.podName });
      case '/slow': {
        // A request that is in flight for a while: what a drain must let finish.
        const ms = Math.min(Math.max(Number(url.searchParams.get('ms') ?? '1000') || 0, 0), 60_000);
        await new Promise((r) => setTimeout(r, ms));
        return json(res, 200, { version: config.version, pod: config.podName, sleptMs: ms });
      }
      case '/health':
        return json(res, 200, { status: 'ok' });
      case '/startup':
        return lifecycle.started ? json(res, 200, { status: 'started' }) : json(res, 503, { status: 'starting' });
      case '/ready': {
        const verdict = await ready();
        return verdict.ok ? json(res, 200, { status: 'ready' }) : json(res, 503, { status: 'not ready', reason: verdict.reason });
      }
      case '/stream':
        return handleStream(req, res, url, lifecycle);
      case '/events':
        return handleEvents(req, res, { lifecycle, version: config.version, ...(options.now ? { now: options.now } : {}) });
      case '/metrics': {
        const text = await metrics.text();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(text);
        return;
      }
      default:
        return json(res, 404, { error: 'not found' });
    }
  }

  // Responses not yet started; a drain marks them `Connection: close` (pipelined requests are
  // parsed, and their handlers run, before the drain began).
  const pending = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const done = lifecycle.begin();
    pending.add(res);
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      pending.delete(res);
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    res.setHeader('x-app-version', config.version);
    res.setHeader('x-pod-name', config.podName);
    // While draining, tell keep-alive clients to go elsewhere for their next request.
    if (lifecycle.isDraining) res.setHeader('connection', 'close');
    res.on('close', () => {
      pending.delete(res);
      done();
    });
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (path === '/ws') ws.upgrade(req, socket, head);
    else
      socket.end(
        `HTTP/1.1 404 Not Found\r\nx-app-version: ${config.version}\r\nx-pod-name: ${config.podName}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
      );
  });

  let shuttingDown: Promise<{ endedAtDeadline: number }> | undefined;
  async function drain(): Promise<{ endedAtDeadline: number }> {
    lifecycle.startDrain();
    for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
    // Stop accepting: the listening socket closes, so new connections are refused. Only the
    // listener: http.Server#close would also close idle keep-alive connections at once, racing
    // requests clients are sending on them at that moment (they would see a reset, which is what
    // the probe measured through the service proxy). Idle connections are left to the keep-alive
    // timeout instead, which clients honouring the Keep-Alive hint never reuse past, and any
    // request that does arrive on one is answered with `Connection: close`.
    NetServer.prototype.close.call(server);
    // Resumable streams end cleanly now (the preStop sleep already took this pod out of the
    // endpoints, so clients reconnect to another pod); downloads get until the deadline.
    const resumable = lifecycle.endResumable(config.drainJitterMs, random);
    log(
      `draining: ${lifecycle.inFlightCount} in flight, ${sockets.size} connections, ${resumable} SSE/WebSocket ended for reconnect, deadline ${config.drainTimeoutMs} ms`,
    );
    const deadline = Date.now() + config.drainTimeoutMs;
    let endedAtDeadline = 0;
    if (!(await lifecycle.waitIdle(config.drainTimeoutMs))) {
      endedAtDeadline = lifecycle.endLongLived();
      log(`drain deadline: ended ${endedAtDeadline} long-lived exchanges`);
      // Give clean endings (SSE last event, WebSocket close frame) a moment, then force.
      await lifecycle.waitIdle(1_000);
    }
    while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    // Completes http's own shutdown (its connection-checking timer); the listener is already closed.
    server.close(() => undefined);
    await db?.close();
    lifecycle.markStopped();
    return { endedAtDeadline };
  }

  return {
    server,
    lifecycle,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    shutdown: () => (shuttingDown ??= drain()),
  };
}
