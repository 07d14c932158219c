import type { IncomingMessage } from 'node:http';
import type { RequestFacts } from './route-decision.js';

// A path WHATWG URL parsing leaves as it is: no dot segments, percent signs, backslashes or
// characters it would encode, and not starting with "//" (which it would read as a host).
const plainPath = /^\/(?!\/)[\w\-~!$&'()*+,;=:@./]*$/;

/** Path and the raw query of a request target, as `new URL(target, base)` gives them. */
function target(raw: string): { path: string; search: string | URLSearchParams } {
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  // The plain case skips URL parsing, which runs per request.
  if (plainPath.test(path) && !path.includes('/.') && !raw.includes('#')) return { path, search: q < 0 ? '' : raw.slice(q + 1) };
  const url = new URL(raw, 'http://x');
  return { path: url.pathname, search: url.searchParams };
}

/**
 * The facts of one request. Query, headers and cookies are worked out on first use: most routes
 * match on host and path alone, and this runs for every request.
 */
class IncomingRequestFacts implements RequestFacts {
  readonly host: string;
  readonly path: string;
  readonly method: string;
  private search: string | URLSearchParams;
  private headerMap: Record<string, string> | undefined;
  private cookieMap: Record<string, string> | undefined;

  constructor(private readonly req: IncomingMessage) {
    const t = target(req.url ?? '/');
    this.path = t.path;
    this.search = t.search;
    const rawHost = (req.headers.host ?? '').toLowerCase();
    this.host = rawHost.startsWith('[') ? rawHost.slice(0, rawHost.indexOf(']') + 1) : rawHost.replace(/:\d+$/, '');
    this.method = (req.method ?? 'GET').toUpperCase();
  }

  get query(): URLSearchParams {
    if (typeof this.search === 'string') this.search = new URLSearchParams(this.search);
    return this.search;
  }

  get headers(): Record<string, string> {
    if (!this.headerMap) {
      const headers: Record<string, string> = {};
      for (const k in this.req.headers) {
        const v = this.req.headers[k];
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      this.headerMap = headers;
    }
    return this.headerMap;
  }

  get cookies(): Record<string, string> {
    if (!this.cookieMap) {
      const cookies: Record<string, string> = {};
      for (const part of (this.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq <= 0) continue;
        const name = part.slice(0, eq).trim();
        if (!(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
      }
      this.cookieMap = cookies;
    }
    return this.cookieMap;
  }
}

/** Extracts the routing-relevant facts of a request (host without port, path, headers, cookies). */
export function requestFacts(req: IncomingMessage): RequestFacts {
  return new IncomingRequestFacts(req);
}
