import http from 'node:http';
import type net from 'node:net';
import type { ClusterView } from './cluster-view.js';
import { BackendPicker } from './ingress/backend-picker.js';
import { rawErrorResponse, sendError } from './ingress/error-page.js';
import { routeRequest } from './ingress/ingress-router.js';
import { onceReporter } from './ingress/once-reporter.js';
import { requestFacts } from './ingress/request-facts.js';
import type { ProblemReporter } from './ingress/route-decision.js';
import type { Backend } from './service-backends.js';
import { stderrLogger, type NetworkLogger } from './network-logger.js';

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
const hopByHop = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

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
  // Idle upstream sockets close after 4 s, below Node's default 5 s server keep-alive, so the
  // proxy rarely reuses a socket the backend is closing at that instant.
  private readonly agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, timeout: 4000, scheduling: 'lifo' });
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: IngressProxyOptions) {
    this.view = options.view;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.report = onceReporter(options.report ?? ((o, reason, message) => this.logger.warn(message, { reason, object: `${o.kind} ${o.namespace}/${o.name}` })));
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.picker = new BackendPicker(this.view);
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
    this.agent.destroy();
    await closed;
  }

  private choose(req: http.IncomingMessage): { kind: 'backend'; backend: Backend } | { kind: 'error'; status: number } {
    try {
      return this.chooseUnguarded(req);
    } catch (err) {
      // A routing bug met by a strange object fails this request, never the proxy.
      this.logger.warn('routing failed', { host: req.headers.host, url: req.url, error: String(err) });
      return { kind: 'error', status: 500 };
    }
  }

  private chooseUnguarded(req: http.IncomingMessage): { kind: 'backend'; backend: Backend } | { kind: 'error'; status: number } {
    const decision = routeRequest(this.view, requestFacts(req), { random: this.random, report: this.report });
    if (decision.kind === 'no-route') return { kind: 'error', status: 404 };
    if (decision.kind === 'error') return { kind: 'error', status: decision.status };
    const choice = this.picker.pick(decision.target);
    return choice.kind === 'backend' ? choice : { kind: 'error', status: choice.status };
  }

  private forwardHeaders(req: http.IncomingMessage, keepUpgrade: boolean): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    if (!keepUpgrade) for (const h of hopByHop) delete headers[h];
    const remote = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = remote;
    headers['x-real-ip'] = remote;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    return headers;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, retried = false): void {
    const choice = this.choose(req);
    if (choice.kind === 'error') {
      req.resume();
      sendError(res, choice.status);
      return;
    }
    const { ip, port } = choice.backend;
    const upstream = http.request({ host: ip, port, method: req.method, path: req.url, headers: this.forwardHeaders(req, false), agent: this.agent });
    let timedOut = false;
    const connectTimer = setTimeout(() => upstream.destroy(new Error('connect timeout')), this.connectTimeoutMs);
    upstream.on('socket', (s) => {
      if (!s.connecting) clearTimeout(connectTimer);
      else s.once('connect', () => clearTimeout(connectTimer));
    });
    upstream.setTimeout(this.upstreamTimeoutMs, () => {
      timedOut = true;
      upstream.destroy(new Error('upstream timeout'));
    });
    let responded = false;
    upstream.on('response', (up) => {
      responded = true;
      const headers: http.OutgoingHttpHeaders = { ...up.headers };
      for (const h of hopByHop) delete headers[h];
      res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
      // A body of unknown length may be a stream (SSE, long poll): its client must see the
      // response start at once. If body bytes came in the same read, they go out with the
      // headers in one write; otherwise the headers are flushed on the next loop turn.
      // (res.headersSent turns true at writeHead, before anything is sent, so track the body.)
      if (up.headers['content-length'] === undefined) {
        let bodyStarted = false;
        up.once('data', () => (bodyStarted = true));
        setImmediate(() => {
          if (!bodyStarted && !res.destroyed && !res.writableEnded) res.flushHeaders();
        });
      }
      up.pipe(res);
      // A backend that dies mid-body cuts this one response only: the client sees a truncated stream.
      up.on('close', () => {
        if (!up.complete) res.destroy();
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      // Once the upstream answered, its status line is ours (maybe not yet flushed): cut, never re-answer.
      if (responded || res.headersSent) {
        res.destroy();
        return;
      }
      // A pooled keep-alive socket the backend closed meanwhile: nginx retries such a request.
      const bodiless = (req.method === 'GET' || req.method === 'HEAD') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
      if (!retried && upstream.reusedSocket && err.code === 'ECONNRESET' && bodiless) {
        this.handle(req, res, true);
        return;
      }
      sendError(res, timedOut ? 504 : err.message === 'connect timeout' ? 504 : 502);
    });
    res.on('close', () => {
      clearTimeout(connectTimer);
      if (!res.writableFinished) upstream.destroy();
    });
    if (retried) upstream.end();
    else req.pipe(upstream);
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on('error', () => {});
    const choice = this.choose(req);
    if (choice.kind === 'error') {
      socket.end(rawErrorResponse(choice.status));
      return;
    }
    const { ip, port } = choice.backend;
    const upstream = http.request({ host: ip, port, method: req.method, path: req.url, headers: this.forwardHeaders(req, true), agent: false });
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
        if (!hopByHop.includes(String(up.rawHeaders[i]).toLowerCase())) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
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
