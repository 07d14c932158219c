import http from 'node:http';
import type net from 'node:net';
import type { ClusterView } from './cluster-view.js';
import { BackendPicker } from './ingress/backend-picker.js';
import { rawErrorResponse, sendError } from './ingress/error-page.js';
import { routeRequest } from './ingress/ingress-router.js';
import { onceReporter } from './ingress/once-reporter.js';
import { requestFacts } from './ingress/request-facts.js';
import { UpstreamClient, type UpstreamFailure } from './ingress/upstream-client.js';
import type { ProblemReporter, RouteTarget, RouterContext } from './ingress/route-decision.js';
import type { Backend } from './service-backends.js';
import { stderrLogger, type NetworkLogger } from './network-logger.js';

type Choice = { kind: 'backend'; backend: Backend; target: RouteTarget } | { kind: 'error'; status: number };
/** A request being sent to another endpoint: which were tried, and whether the stale-socket retry was used. */
interface Retry {
  target: RouteTarget;
  tried: Set<string>;
  staleRetried: boolean;
  anyEndpoint: boolean /** Answer if no endpoint is left: the last failure's (502 or 504), as nginx. */;
  lastStatus: number;
}

export interface IngressProxyOptions {
  view: ClusterView;
  host?: string;
  port?: number;
  logger?: NetworkLogger;
  random?: () => number;
  /** Called once per problem found in a routing object; default logs it. */
  report?: ProblemReporter;
  /** nginx proxy_read_timeout: idle time waiting on the upstream before 504. Default 60000. */
  upstreamTimeoutMs?: number;
  /** nginx proxy_connect_timeout. Default 5000. */
  connectTimeoutMs?: number;
}

// Hop-by-hop headers (RFC 9110 7.6.1) are per connection and never forwarded.
// Expect is answered by this proxy (Node sends 100 Continue itself), as nginx does, so it is not
// passed on either.
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/**
 * An L7 ingress proxy on one port for all hosts, in the manner of ingress-nginx: routes by
 * Ingress / HTTPRoute / VirtualService, proxies straight to pod endpoints over keep-alive
 * connections, streams bodies both ways, passes WebSocket upgrades, and answers 404/502/503/504
 * as nginx would.
 */
export class IngressProxy {
  private readonly view: ClusterView;
  private readonly logger: NetworkLogger;
  private readonly random: () => number;
  private readonly report: ProblemReporter;
  private readonly upstreamTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly picker: BackendPicker;
  private readonly upstream: UpstreamClient;
  private readonly routerContext: Omit<RouterContext, 'claim'>;
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: IngressProxyOptions) {
    this.view = options.view;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.report = onceReporter(
      options.report ?? ((o, reason, message) => this.logger.warn(message, { reason, object: `${o.kind} ${o.namespace}/${o.name}` })),
    );
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.picker = new BackendPicker(this.view);
    this.routerContext = { random: this.random, report: this.report };
    this.upstream = new UpstreamClient({ connectTimeoutMs: this.connectTimeoutMs, readTimeoutMs: this.upstreamTimeoutMs });
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.handle(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.upgrade(req, socket, head));
    this.server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as net.AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await Promise.all([closed, this.upstream.close()]);
  }

  private choose(req: http.IncomingMessage): Choice {
    try {
      return this.chooseUnguarded(req);
    } catch (err) {
      // A routing bug met by a strange object fails this request, never the proxy.
      this.logger.warn('routing failed', { host: req.headers.host, url: req.url, error: String(err) });
      return { kind: 'error', status: 500 };
    }
  }

  private chooseUnguarded(req: http.IncomingMessage): Choice {
    const decision = routeRequest(this.view, requestFacts(req), this.routerContext);
    if (decision.kind === 'no-route') return { kind: 'error', status: 404 };
    if (decision.kind === 'error') return { kind: 'error', status: decision.status };
    const choice = this.picker.pick(decision.target);
    return choice.kind === 'backend' ? { ...choice, target: decision.target } : { kind: 'error', status: choice.status };
  }

  private forwardHeaders(req: http.IncomingMessage, keepUpgrade: boolean): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const k in req.headers) {
      const v = req.headers[k];
      if (v !== undefined && (keepUpgrade || !hopByHop.has(k))) headers[k] = v;
    }
    const remote = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = remote;
    headers['x-real-ip'] = remote;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    return headers;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, retry?: Retry): void {
    let choice: Choice;
    if (retry) {
      const again = this.picker.pick(retry.target, retry.anyEndpoint ? undefined : retry.tried);
      choice =
        again.kind === 'backend'
          ? { ...again, target: retry.target }
          : { kind: 'error', status: again.status === 502 ? retry.lastStatus : again.status };
    } else choice = this.choose(req);
    if (choice.kind === 'error') {
      req.resume();
      sendError(res, choice.status);
      return;
    }
    const { ip, port } = choice.backend;
    const tried = retry?.tried ?? new Set<string>();
    tried.add(`${ip}:${port}`);
    const bodiless = !req.headers['content-length'] && !req.headers['transfer-encoding'];
    let responded = false;
    let finished = false;
    let bodyStarted = false;
    const call = this.upstream.send(
      {
        ip,
        port,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: this.forwardHeaders(req, false),
        body: bodiless ? undefined : req,
      },
      {
        response: (status, statusMessage, upHeaders) => {
          responded = true;
          if (res.destroyed) return;
          const headers: http.OutgoingHttpHeaders = {};
          for (const k in upHeaders) {
            const v = upHeaders[k];
            if (v !== undefined && !hopByHop.has(k)) headers[k] = v;
          }
          res.writeHead(status, statusMessage, headers);
          // A body of unknown length may be a stream (SSE, long poll): its client must see the
          // response start at once. If body bytes come in the same read, they go out with the
          // headers in one write; otherwise the headers are flushed on the next loop turn.
          // (res.headersSent turns true at writeHead, before anything is sent, so track the body.)
          if (upHeaders['content-length'] === undefined) {
            setImmediate(() => {
              if (!bodyStarted && !res.destroyed && !res.writableEnded) res.flushHeaders();
            });
          }
        },
        data: (chunk) => {
          bodyStarted = true;
          if (res.destroyed) return true;
          if (res.write(chunk)) return true;
          res.once('drain', () => call.resume());
          return false;
        },
        end: () => {
          finished = true;
          res.end();
        },
        error: (failure) => {
          finished = true;
          // The client went away (we aborted), or the upstream died mid-answer: cut, never re-answer.
          if (res.destroyed) return;
          if (responded || res.headersSent) {
            res.destroy();
            return;
          }
          this.failed(req, res, { target: choice.target, tried, staleRetried: retry?.staleRetried ?? false, failure, bodiless });
        },
      },
    );
    res.on('close', () => {
      if (!finished) call.abort();
    });
  }

  /**
   * The next upstream, as nginx's proxy_next_upstream error timeout: a request whose body was not
   * streamed (kubesim cannot replay one) goes to another endpoint; a non-idempotent one only if it
   * never reached an upstream (connect failed). A connection reset before any answer (a pooled
   * keep-alive socket the backend had just closed) is retried once on any endpoint, without
   * using up a try.
   */
  private failed(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    f: { target: RouteTarget; tried: Set<string>; staleRetried: boolean; failure: UpstreamFailure; bodiless: boolean },
  ): void {
    const { kind } = f.failure;
    const idempotent = !['POST', 'PATCH', 'LOCK'].includes(req.method ?? 'GET');
    const neverSent = kind === 'refused' || kind === 'connect-timeout';
    const stale = kind === 'reset';
    const status = kind === 'read-timeout' || kind === 'connect-timeout' ? 504 : 502;
    if (f.bodiless && stale && !f.staleRetried) {
      this.handle(req, res, { target: f.target, tried: f.tried, staleRetried: true, anyEndpoint: true, lastStatus: status });
    } else if (f.bodiless && !stale && (idempotent || neverSent) && f.tried.size < (f.target.tries ?? 1)) {
      this.handle(req, res, { target: f.target, tried: f.tried, staleRetried: f.staleRetried, anyEndpoint: false, lastStatus: status });
    } else {
      sendError(res, status);
    }
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on('error', () => {});
    const choice = this.choose(req);
    if (choice.kind === 'error') {
      socket.end(rawErrorResponse(choice.status));
      return;
    }
    const { ip, port } = choice.backend;
    const upstream = http.request({
      host: ip,
      port,
      method: req.method,
      path: req.url,
      headers: this.forwardHeaders(req, true),
      agent: false,
    });
    upstream.setTimeout(this.connectTimeoutMs, () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('upgrade', (up, upSocket, upHead) => {
      upstream.setTimeout(0);
      upSocket.setTimeout(0);
      const lines = [`HTTP/1.1 ${up.statusCode ?? 101} ${up.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
      upSocket.on('close', () => socket.destroy());
      socket.on('close', () => upSocket.destroy());
      upSocket.pipe(socket);
      socket.pipe(upSocket);
    });
    upstream.on('response', (up) => {
      // The backend refused the upgrade: relay its plain answer and close.
      const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage ?? ''}`];
      for (let i = 0; i < up.rawHeaders.length; i += 2) {
        if (!hopByHop.has(String(up.rawHeaders[i]).toLowerCase())) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
      }
      socket.write(`${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`);
      up.pipe(socket);
    });
    upstream.on('error', () => {
      if (!socket.destroyed) socket.end(rawErrorResponse(502));
    });
    socket.on('close', () => upstream.destroy());
    upstream.end();
  }
}
