import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How a request proves it may read or act: the token printed at start, or the host's own check. */
export type DashboardAuth =
  /** `where`: how a user finds the token, said when it is missing or wrong (default: the URL `baton dashboard` printed). */
  | { kind: 'token'; token: string; where?: string }
  /** For a host that authenticates itself (the controller behind its own auth). */
  | { kind: 'custom'; authorize(req: IncomingMessage): boolean | Promise<boolean> };

export type GuardVerdict = { ok: true } | { ok: false; status: number; code: string; message: string };

/** Constant-time comparison of the bearer token (no early exit that leaks its prefix). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const own = req.headers['x-baton-token'];
  return typeof own === 'string' ? own : undefined;
}

/**
 * Which Host headers a server answers to: a fixed set, any (behind a host that checks), or the
 * loopback names on any port: what a browser sends through `kubectl port-forward`, whose local
 * port is the user's choice. A DNS-rebinding page names its own host, so it is still refused.
 */
export type AllowedHosts = ReadonlySet<string> | 'any' | 'loopback';

const loopbackHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

function hostAllowed(host: string, allowed: AllowedHosts): boolean {
  if (allowed === 'any') return true;
  if (allowed === 'loopback') return loopbackHost.test(host);
  return allowed.has(host);
}

/**
 * The checks every API request passes before anything is read or done:
 * - Host must be one this server answers as (a DNS-rebinding page names another host);
 * - Origin, when the browser sends one, must be this server's own (no cross-site calls);
 * - the token comes in a header a cross-site form or image cannot set (no cookie auth at all);
 * - a request that changes state must be JSON (a form post is `text/plain` or urlencoded).
 */
export async function guardRequest(
  req: IncomingMessage,
  o: { auth: DashboardAuth; allowedHosts: AllowedHosts; changesState: boolean },
): Promise<GuardVerdict> {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hostAllowed(host, o.allowedHosts)) {
    return { ok: false, status: 421, code: 'BAD_HOST', message: `this dashboard does not answer as ${JSON.stringify(host)}` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = '';
    }
    if (originHost !== host)
      return {
        ok: false,
        status: 403,
        code: 'BAD_ORIGIN',
        message: `requests from ${origin} are refused: only this dashboard's own page may call it`,
      };
  } else if (origin === 'null') {
    return { ok: false, status: 403, code: 'BAD_ORIGIN', message: 'requests from an opaque origin are refused' };
  }
  if (o.auth.kind === 'token') {
    const given = bearer(req);
    if (given === undefined)
      return {
        ok: false,
        status: 401,
        code: 'TOKEN_MISSING',
        message: `this call needs the dashboard token: ${o.auth.where ?? 'open the URL `baton dashboard` printed (it carries the token after #)'}`,
      };
    if (!tokenMatches(given, o.auth.token))
      return {
        ok: false,
        status: 401,
        code: 'TOKEN_WRONG',
        message: `wrong dashboard token: ${o.auth.where ?? 'open the URL `baton dashboard` printed when it started'}`,
      };
  } else if (!(await o.auth.authorize(req))) {
    return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'not authorized' };
  }
  if (o.changesState) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      return { ok: false, status: 415, code: 'NOT_JSON', message: 'state-changing calls must send Content-Type: application/json' };
  }
  return { ok: true };
}
