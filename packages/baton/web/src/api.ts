// Talks to the dashboard's API with the token in a header (never a cookie: a page elsewhere
// cannot borrow it), and follows server-sent events over fetch so the header goes there too.
import type { AppView, RunView } from '../../src/dashboard/index.js';

export type { AppView, RunView };
export interface ApiError {
  code: string;
  message: string;
  hint?: string;
}

const tokenKey = 'baton-dashboard-token';

/** Takes the token from the URL fragment (`#token=...`) once, keeps it for this tab, and hides it. */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(tokenKey, m[1]);
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  }
  return sessionStorage.getItem(tokenKey);
}

function headers(token: string | null, json = false): Record<string, string> {
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: ApiError };
    if (body.error) return body.error;
  } catch {
    /* not JSON */
  }
  return { code: `HTTP_${res.status}`, message: `the dashboard answered ${res.status} ${res.statusText}` };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export async function getRun(token: string | null, runId: string): Promise<Result<RunView>> {
  const res = await fetch(`api/runs/${encodeURIComponent(runId)}`, { headers: headers(token) });
  if (!res.ok) return { ok: false, error: await errorOf(res) };
  return { ok: true, value: ((await res.json()) as { run: RunView }).run };
}

export async function act(token: string | null, path: string, body: Record<string, unknown> = {}): Promise<Result<{ message: string }>> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: headers(token, true), body: JSON.stringify(body) });
  } catch (error) {
    return { ok: false, error: { code: 'NETWORK', message: `the dashboard cannot be reached (${String(error)})` } };
  }
  if (!res.ok) return { ok: false, error: await errorOf(res) };
  return { ok: true, value: ((await res.json()) as { accepted: { message: string } }).accepted };
}

export interface StreamHandlers {
  apps(apps: AppView[]): void;
  run(run: RunView): void;
  missing(message: string): void;
  error(error: ApiError | null): void;
}

/** Follows `/api/events` until `signal` aborts, reconnecting after a drop. */
export async function follow(token: string | null, runId: string | undefined, h: StreamHandlers, signal: AbortSignal): Promise<void> {
  let delay = 500;
  while (!signal.aborted) {
    try {
      const res = await fetch(`api/events${runId ? `?run=${encodeURIComponent(runId)}` : ''}`, { headers: headers(token), signal });
      if (!res.ok || !res.body) {
        h.error(await errorOf(res));
      } else {
        h.error(null);
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || data === undefined) continue;
            const parsed: unknown = JSON.parse(data);
            if (event === 'apps') h.apps(parsed as AppView[]);
            else if (event === 'run') h.run(parsed as RunView);
            else if (event === 'run-missing') h.missing((parsed as { message: string }).message);
            else if (event === 'problem') h.error({ code: 'PROBLEM', message: (parsed as { message: string }).message });
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
