// Real local servers for the probe's tests: an in-process one whose behaviour is exactly known,
// and the demo app as a child process that can be killed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface TestServer {
  url: string;
  port: number;
  /** Closes the listener and destroys every open connection. */
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with an ephemeral port running `handler`. */
export async function startTestServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A port that was free a moment ago and now has no listener: connections are refused. */
export async function deadPort(): Promise<number> {
  const s = await startTestServer((_req, res) => res.end());
  await s.close();
  return s.port;
}

export interface DemoAppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts packages/demo-app (dist/server.js) as a real process on an ephemeral port. */
export async function startDemoApp(env: Record<string, string>): Promise<DemoAppProcess> {
  const server = fileURLToPath(import.meta.resolve('@baton/demo-app/server'));
  const child = spawn(process.execPath, [server], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', POD_NAME: 'probe-test', APP_VERSION: 'v1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo-app did not start: ${out}`)), 10_000);
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`demo-app exited ${code}: ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface Forwarder {
  url: string;
  port: number;
  /** Where new connections go from now on; established ones stay where they are (conntrack). */
  target(port: number): void;
  close(): Promise<void>;
}

/** A TCP forwarder on 127.0.0.1, like a Service proxy whose endpoint moves between backends. */
export async function startForwarder(initialPort: number): Promise<Forwarder> {
  const { createServer: createTcpServer, connect } = await import('node:net');
  let port = initialPort;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // An upstream reset reaches the client as a reset, not as a clean end.
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const own = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${own}`,
    port: own,
    target: (p) => {
      port = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
