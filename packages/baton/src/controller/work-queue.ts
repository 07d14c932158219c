/**
 * A work queue with client-go's guarantees: a key is queued at most once, is never processed by
 * two workers at once, and a key added while it is being processed is processed again afterwards
 * (so no change is lost). `addAfter` requeues later (polling a wait, backing off an error).
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private wake: (() => void) | undefined;

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.wake?.();
  }

  /** Adds `key` after `ms`, unless an earlier timer for it is already pending. */
  addAfter(key: string, ms: number): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Runs up to `concurrency` workers until `signal` aborts; resolves when they have finished. */
  async run(
    worker: (key: string, signal: AbortSignal) => Promise<void>,
    options: { concurrency: number; signal: AbortSignal },
  ): Promise<void> {
    const active = new Set<Promise<void>>();
    const onAbort = () => this.wake?.();
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!options.signal.aborted) {
        const key = active.size < options.concurrency ? this.queue.shift() : undefined;
        if (key === undefined) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            if (active.size === 0 && this.queue.length > 0) resolve();
          });
          this.wake = undefined;
          continue;
        }
        this.queued.delete(key);
        this.processing.add(key);
        const job = worker(key, options.signal)
          .catch(() => undefined)
          .finally(() => {
            this.processing.delete(key);
            active.delete(job);
            if (this.dirty.delete(key)) this.add(key);
            this.wake?.();
          });
        active.add(job);
      }
      await Promise.all(active);
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
    }
  }
}
