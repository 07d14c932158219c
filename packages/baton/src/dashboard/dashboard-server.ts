import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { DashboardBackend } from './dashboard-backend.js';
import { createDashboardHandler } from './http-handler.js';
import { loadWebAssets } from './web-assets.js';

export interface DashboardServerOptions {
  backend: DashboardBackend;
  /** Default 127.0.0.1: only this machine. Anything else is the user's explicit choice. */
  address?: string;
  /** Default 0: a free port chosen by the kernel. */
  port?: number;
  /** Default: 32 random bytes, hex. */
  token?: string;
  /** How a user finds the token, said when a request lacks it or has a wrong one. */
  tokenWhere?: string;
  /**
   * Host headers to answer to. 'bound' (default): the loopback names and the bound address, on
   * the bound port. 'loopback': the loopback names on any port, for a server reached through
   * `kubectl port-forward` (the browser names the local end, whose port the user picks).
   */
  hosts?: 'bound' | 'loopback';
  assetsDir?: string;
}

export interface DashboardServer {
  /** The base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  pageUrl: string;
  token: string;
  close(): Promise<void>;
}

export const isLoopback = (address: string): boolean => address === 'localhost' || address === '::1' || /^127\./.test(address);

/** Host headers a browser may send for this server: loopback names, and the bound address. */
function hostsFor(address: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!isLoopback(address)) {
    if (address === '0.0.0.0' || address === '::') {
      names.add(hostname().toLowerCase());
      for (const list of Object.values(networkInterfaces()))
        for (const i of list ?? []) names.add(i.family === 'IPv6' ? `[${i.address}]` : i.address);
    } else names.add(address.includes(':') ? `[${address}]` : address.toLowerCase());
  }
  return new Set([...names].map((n) => `${n}:${port}`));
}

/** Starts the dashboard on its own HTTP server. */
export async function startDashboardServer(o: DashboardServerOptions): Promise<DashboardServer> {
  const assets = await loadWebAssets(o.assetsDir);
  const token = o.token ?? randomBytes(32).toString('hex');
  const address = o.address ?? '127.0.0.1';
  const allowed = new Set<string>();
  const handler = createDashboardHandler({
    backend: o.backend,
    assets,
    auth: { kind: 'token', token, ...(o.tokenWhere ? { where: o.tokenWhere } : {}) },
    allowedHosts: o.hosts === 'loopback' ? 'loopback' : allowed,
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of hostsFor(address, port)) allowed.add(h);
  const shown =
    isLoopback(address) || address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  const url = `http://${shown}:${port}/`;
  return {
    url,
    pageUrl: `${url}#token=${token}`,
    token,
    close: async () => {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
