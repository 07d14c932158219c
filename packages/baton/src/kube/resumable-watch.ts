import { KubeApiError, toKubeApiError } from './kube-errors.js';
import type { KubeObject } from './kube-object.js';

/** What a watch delivers: the change type and the object after it. */
export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T };

/** One raw watch event as the API sends it (BOOKMARK and ERROR included). */
export interface RawWatchEvent {
  type: string;
  object: unknown;
}

/** The two API calls a watch is made of, so the loop below can be tested without a server. */
export interface WatchSource<T extends KubeObject> {
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /** Opens a watch from `resourceVersion`; `onClose` is called once, with the error if there was one. */
  watch(resourceVersion: string, onEvent: (event: RawWatchEvent) => void, onClose: (error?: unknown) => void): Promise<{ abort(): void }>;
}

/** Exponential back-off between failed attempts, reset by the first event that arrives. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const defaultWatchBackoff: Backoff = { initialMs: 200, maxMs: 30_000, factor: 2 };

/** Why the loop opened a new watch: resumed from the last resourceVersion, or listed again. */
export interface WatchRestart {
  kind: 'resume' | 'relist';
  delayMs: number;
  error?: unknown;
}

export interface ResumableWatchOptions<T extends KubeObject> {
  source: WatchSource<T>;
  signal: AbortSignal;
  /** After every list: the complete current set (replaces whatever the caller held). */
  onSync(items: T[]): void;
  onEvent(event: WatchEvent<T>): void;
  onRestart?(restart: WatchRestart): void;
  /** An error the loop must not retry (default: none; every error is retried). */
  giveUp?(error: KubeApiError): boolean;
  backoff?: Backoff;
  /** 0..1, for the jitter (tests pass a constant). */
  random?: () => number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * List, then watch from the list's resourceVersion, as client-go's reflector does: a watch the
 * server closes is resumed from the last resourceVersion seen (events and bookmarks), without a
 * list; only 410 Gone (the version is compacted away) lists again. Failures wait with exponential
 * back-off and jitter, so an API server that restarts is not hammered. Runs until `signal` aborts;
 * rejects only with an error `giveUp` accepts.
 */
export async function runResumableWatch<T extends KubeObject>(options: ResumableWatchOptions<T>): Promise<void> {
  const backoff = options.backoff ?? defaultWatchBackoff;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  let resourceVersion: string | undefined;
  let failures = 0;
  const delayFor = (): number => {
    if (failures === 0) return 0;
    const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (failures - 1));
    return Math.round(base * (0.8 + 0.4 * random()));
  };
  while (!options.signal.aborted) {
    if (resourceVersion === undefined) {
      try {
        const listed = await options.source.list();
        resourceVersion = listed.resourceVersion;
        options.onSync(listed.items);
        // The caller may have what it waited for from the list alone: then no watch is opened.
        if (options.signal.aborted) return;
      } catch (caught) {
        const error = toKubeApiError(caught, 'list');
        if (options.giveUp?.(error)) throw error;
        failures += 1;
        const delayMs = delayFor();
        options.onRestart?.({ kind: 'relist', delayMs, error });
        await sleep(delayMs, options.signal);
        continue;
      }
    }
    const closed = await watchOnce(options, resourceVersion, (rv) => {
      resourceVersion = rv;
    });
    if (options.signal.aborted) return;
    if (closed.gone) resourceVersion = undefined;
    if (closed.error !== undefined) {
      const error = toKubeApiError(closed.error, 'watch');
      if (!closed.gone && options.giveUp?.(error)) throw error;
    }
    // A watch that delivered something was healthy; one that failed or closed before its first
    // event (bookmarks count) backs off, so a server that closes every watch at once is not spun on.
    failures = closed.error === undefined && closed.sawEvent ? 0 : failures + 1;
    const delayMs = delayFor();
    options.onRestart?.({
      kind: resourceVersion === undefined ? 'relist' : 'resume',
      delayMs,
      ...(closed.error !== undefined ? { error: closed.error } : {}),
    });
    await sleep(delayMs, options.signal);
  }
}

interface Closed {
  /** The server said 410: the resourceVersion is too old to resume from. */
  gone: boolean;
  sawEvent: boolean;
  error?: unknown;
}

async function watchOnce<T extends KubeObject>(
  options: ResumableWatchOptions<T>,
  from: string,
  seen: (rv: string) => void,
): Promise<Closed> {
  return await new Promise<Closed>((resolve) => {
    let done = false;
    let sawEvent = false;
    let handle: { abort(): void } | undefined;
    const close = (closed: Omit<Closed, 'sawEvent'>): void => {
      if (done) return;
      done = true;
      options.signal.removeEventListener('abort', onAbort);
      handle?.abort();
      resolve({ ...closed, sawEvent });
    };
    const onAbort = (): void => close({ gone: false });
    if (options.signal.aborted) {
      resolve({ gone: false, sawEvent });
      return;
    }
    options.signal.addEventListener('abort', onAbort, { once: true });
    const onEvent = (event: RawWatchEvent): void => {
      if (done) return;
      if (event.type === 'ERROR') {
        const status = statusOf(event.object);
        close({
          gone: status.code === 410,
          error: new KubeApiError(status.code ?? 500, status.reason ?? 'WatchError', `watch: ${status.message ?? 'error event'}`),
        });
        return;
      }
      const object = event.object as T;
      const rv = object?.metadata?.resourceVersion;
      if (rv) seen(rv);
      sawEvent = true;
      if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') options.onEvent({ type: event.type, object });
    };
    options.source
      .watch(from, onEvent, (error) => {
        const code =
          (error as { statusCode?: unknown; code?: unknown } | undefined)?.statusCode ?? (error as { code?: unknown } | undefined)?.code;
        close({ gone: code === 410, ...(error ? { error } : {}) });
      })
      .then(
        (h) => {
          handle = h;
          if (done) h.abort();
        },
        (error: unknown) => close({ gone: false, error }),
      );
  });
}

function statusOf(object: unknown): { code?: number; reason?: string; message?: string } {
  if (typeof object !== 'object' || object === null) return {};
  const o = object as { code?: unknown; reason?: unknown; message?: unknown };
  return {
    ...(typeof o.code === 'number' ? { code: o.code } : {}),
    ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
    ...(typeof o.message === 'string' ? { message: o.message } : {}),
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Errors no retry can fix: the caller's credentials, permissions or query are wrong. */
export function isPermanentKubeError(error: KubeApiError): boolean {
  return [400, 401, 403, 404, 405, 422].includes(error.status);
}
