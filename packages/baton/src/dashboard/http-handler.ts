import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatonError, isBatonError } from '../errors.js';
import type { DashboardBackend, DashboardChange } from './dashboard-backend.js';
import { guardRequest, type AllowedHosts, type DashboardAuth } from './request-guard.js';
import { SseStream } from './sse-stream.js';
import { indexHtml, type WebAssets } from './web-assets.js';

export interface DashboardHandlerOptions {
  backend: DashboardBackend;
  auth: DashboardAuth;
  /** Host headers this server answers to (`127.0.0.1:PORT`, `localhost:PORT`...), 'loopback' (any port), or 'any' behind a host that checks. */
  allowedHosts: AllowedHosts;
  assets: WebAssets;
  /** A path prefix the host mounts the dashboard under, e.g. '/dashboard'. Default none. */
  basePath?: string;
}

/** The request handler plus a way to end its open event streams (on shutdown). */
export interface DashboardHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const conflictCodes = new Set([
  'RUN_FINISHED',
  'NOT_PAUSED',
  'ACTION_NOT_POSSIBLE',
  'RUN_BUSY',
  'ROLLBACK_NOT_POSSIBLE',
  'LOCKED',
  'RUN_EXISTS',
]);
const maxBodyBytes = 16 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string, hint?: string): void {
  send(res, status, { error: { code, message, ...(hint ? { hint } : {}) } });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BatonError('BODY_TOO_LARGE', `request body over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BatonError('BAD_JSON', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BatonError('BAD_JSON', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The dashboard over HTTP, for `baton dashboard` and for the controller to mount: the page and
 * its bundle (no token: they hold no data), a JSON API (token, Host and Origin checked), server-
 * sent events that push a run's view and the app list whenever they change, and the actions as
 * POSTs of JSON. Errors are `{error: {code, message, hint}}` with a status that says what kind.
 */
export function createDashboardHandler(o: DashboardHandlerOptions): DashboardHandler {
  const streams = new Set<SseStream>();
  const base = (o.basePath ?? '').replace(/\/+$/, '');

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    void route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (isBatonError(error)) {
        const status =
          error.code === 'RUN_NOT_FOUND' ? 404 : conflictCodes.has(error.code) ? 409 : error.code === 'BODY_TOO_LARGE' ? 413 : 400;
        sendError(res, status, error.code, error.message, error.hint);
      } else {
        // Unexpected: say so without a stack trace (the terminal running the dashboard has it).
        process.stderr.write(`dashboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        sendError(res, 500, 'INTERNAL', 'the dashboard hit an unexpected error; see the terminal running it');
      }
    });
  }) as DashboardHandler;
  handler.close = () => {
    for (const s of streams) s.close();
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    let path = url.pathname;
    if (base && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length) || '/';
    const method = req.method ?? 'GET';

    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { ...securityHeaders, 'content-type': 'text/html; charset=utf-8' });
      res.end(indexHtml);
      return;
    }
    if (method === 'GET' && (path === '/assets/app.js' || path === '/assets/app.css')) {
      const js = path.endsWith('.js');
      res.writeHead(200, { ...securityHeaders, 'content-type': js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8' });
      res.end(js ? o.assets.js : o.assets.css);
      return;
    }
    if (!path.startsWith('/api/')) {
      sendError(res, 404, 'NOT_FOUND', `no page ${path}`);
      return;
    }

    const changesState = method === 'POST';
    if (method !== 'GET' && method !== 'POST') {
      sendError(res, 405, 'METHOD', `${method} is not allowed`);
      return;
    }
    const verdict = await guardRequest(req, { auth: o.auth, allowedHosts: o.allowedHosts, changesState });
    if (!verdict.ok) {
      sendError(res, verdict.status, verdict.code, verdict.message);
      return;
    }

    const parts = path
      .split('/')
      .slice(2)
      .map((p) => decodeURIComponent(p));
    if (method === 'GET' && parts[0] === 'apps' && parts.length === 1) {
      send(res, 200, { apps: await o.backend.listApps() });
      return;
    }
    if (method === 'GET' && parts[0] === 'runs' && parts.length === 2) {
      const run = await o.backend.getRun(parts[1]!);
      if (!run) {
        sendError(res, 404, 'RUN_NOT_FOUND', `there is no run ${parts[1]!}`, 'it never existed here, or its journal was deleted');
        return;
      }
      send(res, 200, { run });
      return;
    }
    if (method === 'GET' && parts[0] === 'events' && parts.length === 1) {
      openStream(req, res, url.searchParams.get('run') ?? undefined);
      return;
    }
    if (method === 'POST' && parts[0] === 'runs' && parts.length === 3) {
      const body = await readJson(req);
      const runId = parts[1]!;
      const action = parts[2];
      if (action === 'promote') {
        send(res, 202, { accepted: await o.backend.promote(runId) });
        return;
      }
      if (action === 'abort') {
        const reason =
          typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 500) : 'aborted from the dashboard';
        send(res, 202, { accepted: await o.backend.abort(runId, reason) });
        return;
      }
      if (action === 'retry') {
        send(res, 202, { accepted: await o.backend.retry(runId) });
        return;
      }
    }
    if (method === 'POST' && parts[0] === 'apps' && parts.length === 4 && parts[3] === 'rollback') {
      await readJson(req);
      send(res, 202, { accepted: await o.backend.rollback({ namespace: parts[1]!, app: parts[2]! }) });
      return;
    }
    sendError(res, 404, 'NOT_FOUND', `no API ${method} ${path}`);
  }

  /** Pushes the app list, and the run's view when `runId` is given, now and after every change. */
  function openStream(_req: IncomingMessage, res: ServerResponse, runId: string | undefined): void {
    let timer: NodeJS.Timeout | undefined;
    let wantApps = true;
    let wantRun = runId !== undefined;
    let sending = false;
    const push = async (): Promise<void> => {
      timer = undefined;
      if (sending) {
        schedule();
        return;
      }
      sending = true;
      try {
        if (wantApps) {
          wantApps = false;
          stream.send('apps', await o.backend.listApps());
        }
        if (wantRun && runId !== undefined) {
          wantRun = false;
          const run = await o.backend.getRun(runId);
          if (run) stream.send('run', run);
          else
            stream.send('run-missing', {
              runId,
              message: `run ${runId} no longer exists: its journal was deleted (or it never existed). Nothing was changed.`,
            });
        }
      } catch (error) {
        stream.send('problem', { message: error instanceof Error ? error.message : String(error) });
      } finally {
        sending = false;
      }
    };
    // Changes come in bursts (a journal append touches three files): send one refresh per burst.
    const schedule = (): void => {
      if (!timer && !stream.closed) timer = setTimeout(() => void push(), 120);
    };
    const onChange = (change: DashboardChange): void => {
      if (change.kind === 'apps') wantApps = true;
      else if (change.runId === runId) wantRun = true;
      else return;
      schedule();
    };
    const stream = new SseStream(res, () => {
      unwatch();
      if (timer) clearTimeout(timer);
      streams.delete(stream);
    });
    streams.add(stream);
    const unwatch = o.backend.watch(onChange);
    void push();
  }

  return handler;
}
