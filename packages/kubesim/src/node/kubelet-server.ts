import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { LogStore } from './log-store.js';
import type { RunningContainer } from './container-record.js';
import { EXEC_PROTOCOLS, runExecSession } from './exec-session.js';
import { handlePortForwardUpgrade, portForwardProtocol, type PortForwardTarget } from './port-forward.js';

/** What the server needs from the kubelet: running containers and a stats snapshot. */
export interface KubeletServerDeps {
  token: string | undefined;
  logs: LogStore;
  container(ns: string, pod: string, container: string | undefined): RunningContainer | undefined;
  podExists(ns: string, pod: string): boolean;
  /** A pod's address for port-forward, while it runs on this node. */
  portForwardTarget(ns: string, pod: string): PortForwardTarget | undefined;
  statsSummary(): object;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true; // kubeconfig without a bearer token: nothing to check against
  const got = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function bool(q: URLSearchParams, k: string): boolean {
  const v = q.get(k);
  return v === '1' || v === 'true';
}

function num(q: URLSearchParams, k: string): number | undefined {
  const v = q.get(k);
  return v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
}

/**
 * The kubelet's HTTP API on 127.0.0.1: /containerLogs, /exec (WebSocket), /stats/summary,
 * /healthz. Every request but /healthz needs the bearer token of the kubelet's kubeconfig.
 */
export async function startKubeletServer(d: KubeletServerDeps): Promise<KubeletServer> {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const pfWss = new WebSocketServer({
    noServer: true,
    handleProtocols: portForwardProtocol,
  });
  const parts = (url: URL, prefix: string): string[] | undefined => {
    if (!url.pathname.startsWith(prefix)) return undefined;
    return url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
  };

  const server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (e) {
      if (!res.headersSent) status(res, 500, 'InternalError', (e as Error).message);
      else res.destroy();
    }
  });

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (url.pathname === '/healthz') return void res.end('ok');
    if (!authorized(req, d.token)) return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname === '/stats/summary') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(d.statsSummary()));
    }
    const logParts = parts(url, '/containerLogs/');
    if (logParts && logParts.length === 3) return serveLogs(res, url.searchParams, logParts[0]!, logParts[1]!, logParts[2]!);
    if (url.pathname.startsWith('/exec/')) return status(res, 400, 'BadRequest', 'exec requires a WebSocket upgrade (Upgrade: websocket)');
    if (url.pathname.startsWith('/portForward/'))
      return status(res, 400, 'BadRequest', 'port-forward requires an Upgrade (websocket or SPDY/3.1)');
    status(res, 404, 'NotFound', `no handler for ${url.pathname}`);
  };

  const serveLogs = (res: ServerResponse, q: URLSearchParams, ns: string, pod: string, container: string): void => {
    if (!d.podExists(ns, pod)) return status(res, 404, 'NotFound', `pod "${pod}" not found on this node`);
    const r = d.logs.read(ns, pod, container, {
      previous: bool(q, 'previous'),
      timestamps: bool(q, 'timestamps'),
      tailLines: num(q, 'tailLines'),
      sinceSeconds: num(q, 'sinceSeconds'),
      limitBytes: num(q, 'limitBytes'),
    });
    if (r.kind === 'not-found') return status(res, 400, 'BadRequest', r.message);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write(r.text);
    if (!bool(q, 'follow') || !r.follow) return void res.end();
    const unsubscribe = r.follow(
      (t) => res.write(t),
      () => res.end(),
    );
    res.on('close', unsubscribe);
  };

  // Upgraded connections leave the HTTP server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const reject = (code: number, msg: string): void => {
      socket.end(
        `HTTP/1.1 ${code} ${msg}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(msg)}\r\nconnection: close\r\n\r\n${msg}`,
      );
    };
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (!authorized(req, d.token)) return reject(401, 'Unauthorized');
    const pf = parts(url, '/portForward/');
    if (pf && pf.length === 2) {
      const target = d.portForwardTarget(pf[0]!, pf[1]!);
      if (!target) return reject(404, `pod ${pf[0]}/${pf[1]} is not running on this node`);
      return handlePortForwardUpgrade(
        req,
        socket,
        head,
        pfWss,
        target,
        url.searchParams
          .getAll('port')
          .map(Number)
          .filter((n) => n > 0),
      );
    }
    const p = parts(url, '/exec/');
    if (!p || p.length < 2) return reject(404, 'Not Found');
    const [ns, pod, pathContainer] = p;
    const containerName = pathContainer || url.searchParams.get('container') || undefined;
    const running = d.container(ns!, pod!, containerName);
    if (!running) return reject(404, `container ${containerName ?? ''} in pod ${ns}/${pod} is not running on this node`);
    const q = url.searchParams;
    wss.handleUpgrade(req, socket, head, (ws) => {
      runExecSession(
        ws,
        {
          command: q.getAll('command'),
          stdin: bool(q, 'stdin'),
          stdout: bool(q, 'stdout'),
          stderr: bool(q, 'stderr'),
          tty: bool(q, 'tty'),
        },
        running,
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of [...wss.clients, ...pfWss.clients]) c.terminate();
        for (const s of upgraded) s.destroy();
        wss.close();
        pfWss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
