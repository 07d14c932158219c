import net from 'node:net';
import type { ClusterView } from './cluster-view.js';
import type { Service } from './kube-objects.js';
import { stderrLogger, type NetworkLogger } from './network-logger.js';
import { findServicePort, routableBackends, serviceBackends, type Backend } from './service-backends.js';

export interface ServiceProxyOptions {
  view: ClusterView;
  logger?: NetworkLogger;
  /** How a new connection picks among routable endpoints. Default 'random' (iptables mode). */
  balance?: 'random' | 'round-robin';
  random?: () => number;
  /** Retry interval for a clusterIP:port that could not be bound. Default 2000. */
  bindRetryMs?: number;
}

interface Listener {
  server: net.Server;
  namespace: string;
  name: string;
  port: number;
  state: 'binding' | 'listening' | 'failed';
}

/**
 * An L4 Service proxy in the manner of kube-proxy: one TCP listener per ClusterIP Service port on
 * the Service's clusterIP, open while the port has a usable endpoint (without one, connections
 * are refused, as kube-proxy's REJECT rule does). Each accepted connection is bound to one endpoint, chosen from what the
 * proxy has learned so far (the delayed view), and stays with it until it closes, as conntrack
 * keeps an established flow on its DNAT target even after the endpoint is removed.
 */
export class ServiceProxy {
  private readonly view: ClusterView;
  private readonly logger: NetworkLogger;
  private readonly balance: 'random' | 'round-robin';
  private readonly random: () => number;
  private readonly bindRetryMs: number;
  private readonly listeners = new Map<string, Listener>();
  private readonly sockets = new Set<net.Socket>();
  private readonly cursors = new Map<string, number>();
  private readonly bindFailures = new Set<string>();
  private readonly closing = new Map<string, Promise<void>>();
  private readonly pendingBinds = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: ServiceProxyOptions) {
    this.view = options.view;
    this.logger = options.logger ?? stderrLogger;
    this.balance = options.balance ?? 'random';
    this.random = options.random ?? Math.random;
    this.bindRetryMs = options.bindRetryMs ?? 2000;
  }

  start(): void {
    this.unsubscribe = this.view.onChange((e) => {
      if (e.kind === 'Service' || e.kind === 'EndpointSlice' || e.kind === 'Endpoints') this.reconcile();
    });
    this.reconcile();
  }

  /** Resolves once no listener is still binding or closing (all learned changes are in effect). */
  async settled(): Promise<void> {
    while (this.pendingBinds.size > 0 || this.closing.size > 0) {
      await Promise.all([...this.pendingBinds, ...this.closing.values()]);
    }
  }

  /** Addresses currently listening, as "ip:port" (for tests and diagnostics). */
  listening(): string[] {
    return [...this.listeners].filter(([, l]) => l.state === 'listening').map(([k]) => k);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.retryTimer);
    for (const s of this.sockets) s.destroy();
    await Promise.all([...this.listeners.values()].map((l) => closeServer(l.server)));
    this.listeners.clear();
    await Promise.all(this.closing.values());
  }

  private reconcile(): void {
    if (this.stopped) return;
    const desired = new Map<string, { namespace: string; name: string; port: number }>();
    for (const svc of this.view.list<Service>('Service')) {
      const ip = svc.spec?.clusterIP;
      if (typeof ip !== 'string' || net.isIPv4(ip) === false) continue; // "None" = headless
      for (const p of Array.isArray(svc.spec?.ports) ? svc.spec.ports : []) {
        const port = p?.port;
        if ((p?.protocol ?? 'TCP') !== 'TCP' || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) continue;
        const ref = { namespace: svc.metadata?.namespace ?? '', name: svc.metadata?.name ?? '', port };
        desired.set(`${ip}:${port}`, ref);
      }
    }
    for (const [key, l] of this.listeners) {
      const want = desired.get(key);
      if (want) Object.assign(l, want);
      // Established flows survive rule removal (conntrack); only new connections stop.
      if (!want || (l.state === 'listening' && this.candidates(l).length === 0)) this.close(key, l);
    }
    for (const [key, ref] of desired) {
      // kube-proxy REJECTs new connections to a Service without endpoints: nobody listens, so the
      // client gets a genuine "connection refused".
      if (!this.listeners.has(key) && !this.closing.has(key) && this.candidates(ref).length > 0) this.bind(key, ref);
    }
  }

  private close(key: string, l: Listener): void {
    this.listeners.delete(key);
    const done = closeServer(l.server).then(() => {
      this.closing.delete(key);
      this.reconcile();
    });
    this.closing.set(key, done);
  }

  private bind(key: string, ref: { namespace: string; name: string; port: number }): void {
    const [ip] = key.split(':') as [string];
    const server = net.createServer({ allowHalfOpen: true });
    const listener: Listener = { server, ...ref, state: 'binding' };
    this.listeners.set(key, listener);
    const bound = new Promise<void>((resolve) => {
      server.once('listening', () => resolve());
      server.once('error', () => resolve());
    });
    this.pendingBinds.add(bound);
    void bound.then(() => this.pendingBinds.delete(bound));
    server.on('connection', (socket) => this.onConnection(listener, socket));
    server.on('error', (err) => {
      listener.state = 'failed';
      // Retried every bindRetryMs; say so once per address, not on every retry.
      if (!this.bindFailures.has(key))
        this.logger.warn('service proxy cannot listen; retrying', {
          address: key,
          service: `${ref.namespace}/${ref.name}`,
          error: String(err),
        });
      this.bindFailures.add(key);
      if (this.listeners.get(key) === listener) this.listeners.delete(key);
      if (!this.stopped && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.reconcile();
        }, this.bindRetryMs);
        this.retryTimer.unref();
      }
    });
    try {
      server.listen({ host: ip, port: ref.port }, () => {
        this.bindFailures.delete(key);
        if (this.listeners.get(key) !== listener || this.stopped) {
          void closeServer(server);
          return;
        }
        listener.state = 'listening';
        // Endpoints may have gone while binding.
        this.reconcile();
      });
    } catch (err) {
      server.emit('error', err);
    }
  }

  /** Endpoints new connections to this Service port may use now. */
  private candidates(ref: { namespace: string; name: string; port: number }): Backend[] {
    const svc = this.view.get<Service>('Service', ref.namespace, ref.name);
    const port = svc ? findServicePort(svc, ref.port) : undefined;
    if (!svc || !port) return [];
    return routableBackends(serviceBackends(this.view, svc, port));
  }

  private pick(listener: Listener): Backend | undefined {
    const candidates = this.candidates(listener);
    if (candidates.length === 0) return undefined;
    if (this.balance === 'random') return candidates[Math.floor(this.random() * candidates.length)];
    const cursorKey = `${listener.namespace}/${listener.name}:${listener.port}`;
    const n = this.cursors.get(cursorKey) ?? 0;
    this.cursors.set(cursorKey, n + 1);
    return candidates[n % candidates.length];
  }

  private onConnection(listener: Listener, client: net.Socket): void {
    let backend: Backend | undefined;
    try {
      backend = this.pick(listener);
    } catch (err) {
      this.logger.warn('endpoint selection failed', { service: `${listener.namespace}/${listener.name}`, error: String(err) });
    }
    if (!backend) {
      // Accepted in the instant before the listener closed for lack of endpoints: reset it.
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    this.sockets.add(client);
    const upstream = net.connect({ host: backend.ip, port: backend.port, allowHalfOpen: true });
    this.sockets.add(upstream);
    let connected = false;
    upstream.on('connect', () => (connected = true));
    const cleanup = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', cleanup);
    upstream.on('close', cleanup);
    // A dead endpoint resets the flow, as the pod's kernel would (RST to the DNAT'd SYN).
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('error', () => {
      if (!upstream.destroyed) connected ? upstream.resetAndDestroy() : upstream.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
