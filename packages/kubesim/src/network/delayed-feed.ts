import type { ClusterView, ViewEvent } from './cluster-view.js';

export interface DelayedFeedOptions {
  /** How long a change takes to reach the proxies. Real kube-proxy/LB lag; default 1000. */
  delayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Delivers watch events to a ClusterView after a fixed delay, in order. This models the window
 * in which a removed endpoint still receives traffic: the reason apps need a preStop sleep.
 */
export class DelayedFeed {
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly pending = new Set<unknown>();
  private stopped = false;

  constructor(
    private readonly view: ClusterView,
    options: DelayedFeedOptions = {},
  ) {
    this.delayMs = Math.max(0, options.delayMs ?? 1000);
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  push(event: ViewEvent): void {
    if (this.stopped) return;
    if (this.delayMs === 0) {
      this.view.apply(event);
      return;
    }
    // Equal delays keep events in arrival order: Node fires equal-deadline timers FIFO.
    const handle = this.setTimer(() => {
      this.pending.delete(handle);
      this.view.apply(event);
    }, this.delayMs);
    this.pending.add(handle);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.pending) this.clearTimer(handle);
    this.pending.clear();
  }
}
