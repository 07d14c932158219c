/** Named states of the server; every drain has a deadline. */
export type AppState = 'starting' | 'ready' | 'draining' | 'stopped';

/**
 * Kinds of long-lived exchange. `resumable` ones (SSE, WebSocket) can be ended cleanly at once when
 * a drain begins: the client reconnects elsewhere and resumes (Last-Event-ID, `after=`) without
 * losing a message. A `download` cannot end early without being cut, so it keeps going until it
 * finishes or the drain deadline passes.
 */
export type LongLivedKind = 'download' | 'sse' | 'websocket';

/** Something long-lived that a drain must end: at once when resumable, at the deadline otherwise. */
export interface LongLived {
  kind: LongLivedKind;
  /** Ends it now: cleanly where the protocol allows (SSE end, WebSocket 1001), else by cutting it. */
  end(): void;
}

export interface LifecycleOptions {
  startupDelayMs: number;
  failReadiness: boolean;
  now?: () => number;
}

/**
 * Tracks the app's state and everything in flight, so a SIGTERM can wait for in-flight work
 * (bounded by a deadline) instead of cutting it.
 */
export class Lifecycle {
  private draining = false;
  private stopped = false;
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly longLived = new Set<LongLived>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: LifecycleOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get state(): AppState {
    if (this.stopped) return 'stopped';
    if (this.draining) return 'draining';
    return this.now() - this.startedAt < this.options.startupDelayMs ? 'starting' : 'ready';
  }

  /** True once the startup delay has passed (the startup probe), whether or not ready. */
  get started(): boolean {
    return this.now() - this.startedAt >= this.options.startupDelayMs;
  }

  /** Readiness before the database check: ready state and not told to fail readiness. */
  get acceptingTraffic(): boolean {
    return this.state === 'ready' && !this.options.failReadiness;
  }

  get isDraining(): boolean {
    return this.draining || this.stopped;
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Counts a request as in flight until `done` is called (idempotent). */
  begin(): () => void {
    this.inFlight += 1;
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Registers a long-lived exchange; returns the function that unregisters it. */
  hold(item: LongLived): () => void {
    this.longLived.add(item);
    const release = this.begin();
    return () => {
      this.longLived.delete(item);
      release();
    };
  }

  /** Open long-lived exchanges by kind (the `demo_open_streams` gauge). */
  openCounts(): Record<LongLivedKind, number> {
    const counts: Record<LongLivedKind, number> = { download: 0, sse: 0, websocket: 0 };
    for (const item of this.longLived) counts[item.kind] += 1;
    return counts;
  }

  startDrain(): void {
    this.draining = true;
  }

  /**
   * Ends every resumable exchange (SSE, WebSocket) cleanly, each after a random delay in
   * [0, jitterMs) so thousands of clients do not reconnect in the same instant. Returns how many.
   */
  endResumable(jitterMs: number, random: () => number = Math.random): number {
    const items = [...this.longLived].filter((item) => item.kind !== 'download');
    for (const item of items) {
      const wait = jitterMs > 0 ? Math.floor(random() * jitterMs) : 0;
      if (wait === 0) item.end();
      else
        setTimeout(() => {
          if (this.longLived.has(item)) item.end();
        }, wait).unref();
    }
    return items.length;
  }

  /** Resolves true when nothing is in flight, false when `timeoutMs` passed first. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(wake);
    });
  }

  /** The drain deadline passed: end every long-lived exchange still open. */
  endLongLived(): number {
    const items = [...this.longLived];
    for (const item of items) item.end();
    return items.length;
  }

  markStopped(): void {
    this.stopped = true;
  }
}
