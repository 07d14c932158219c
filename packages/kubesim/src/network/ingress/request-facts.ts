import type { IncomingMessage } from 'node:http';
import type { RequestFacts } from './route-decision.js';

/** Extracts the routing-relevant facts of a request (host without port, path, headers, cookies). */
export function requestFacts(req: IncomingMessage): RequestFacts {
  const url = new URL(req.url ?? '/', 'http://x');
  const rawHost = (req.headers.host ?? '').toLowerCase();
  const host = rawHost.startsWith('[') ? rawHost.slice(0, rawHost.indexOf(']') + 1) : rawHost.replace(/:\d+$/, '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const cookies: Record<string, string> = {};
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
  }
  return { host, path: url.pathname, method: (req.method ?? 'GET').toUpperCase(), query: url.searchParams, headers, cookies };
}
