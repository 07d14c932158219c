import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer } from 'ws';

export interface VersionAppOptions {
  host: string;
  port?: number;
  version: string;
  pod: string;
}

export interface VersionApp {
  url: string;
  port: number;
  /** Stops accepting and waits for open connections to finish (a graceful drain). */
  close(): Promise<void>;
  /** Drops every open connection at once, as a crashed process would. */
  kill(): void;
  /** How many TCP connections this app has accepted (to observe upstream keep-alive). */
  connectionsAccepted(): number;
}

/**
 * A tiny backend for proxy tests: every answer names its version and pod (headers x-version,
 * x-pod and a JSON body), so a client can tell which backend served it.
 * Routes: / ; /stream?chunks=N&intervalMs=M (chunked); /sse?events=N&intervalMs=M;
 * /slow?ms=M ; /echo-headers ; /echo-body (streams the request body back) ; WebSocket upgrade on any path echoes messages.
 */
export async function startVersionApp(options: VersionAppOptions): Promise<VersionApp> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const ident = { 'x-version': options.version, 'x-pod': options.pod };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const num = (k: string, d: number): number => Number(url.searchParams.get(k) ?? d);
    if (url.pathname === '/stream' || url.pathname === '/sse') {
      const sse = url.pathname === '/sse';
      const total = num(sse ? 'events' : 'chunks', 10);
      res.writeHead(200, { ...ident, 'content-type': sse ? 'text/event-stream' : 'text/plain' });
      res.flushHeaders();
      let i = 0;
      const timer = setInterval(
        () => {
          res.write(sse ? `data: ${options.version} ${i}\n\n` : `chunk ${i} ${options.version}\n`);
          if (++i >= total) {
            clearInterval(timer);
            res.end();
          }
        },
        num('intervalMs', 20),
      );
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (url.pathname === '/echo-body') {
      // Streams the request body back as it arrives (uploads and full-duplex bodies).
      res.writeHead(200, { ...ident, 'content-type': 'application/octet-stream' });
      req.pipe(res);
      return;
    }
    const body = url.pathname === '/echo-headers' ? { headers: req.headers } : { version: options.version, pod: options.pod };
    const reply = (): void => {
      res.writeHead(200, { ...ident, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (url.pathname === '/slow') setTimeout(reply, num('ms', 100)).unref();
    else reply();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.send(`hello from ${options.pod}`);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    accepted++;
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
    connectionsAccepted: () => accepted,
    kill: () => {
      for (const c of wss.clients) c.terminate();
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
