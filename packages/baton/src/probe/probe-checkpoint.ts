import type { Probe } from './probe.js';
import type { ProbeRecord } from './probe-record.js';

/** Where checkpoints go: every segment of the run so far, the live one last. */
export type SaveSegments = (segments: ProbeRecord[]) => Promise<void>;

type Timer = ReturnType<typeof setTimeout>;

export interface ProbeCheckpointOptions {
  probe: Probe;
  /** Segments earlier processes measured for this run (resume): kept ahead of this one. */
  earlier?: readonly ProbeRecord[];
  save: SaveSegments;
  /** Default 2000: a SIGKILL loses at most this much of what the probe measured (see `loopShare`). */
  intervalMs?: number;
  /**
   * Default 0.02: the share of the event loop checkpoints may take. A snapshot reduces every
   * sample so far (hundreds of ms after minutes at 1000 req/s), and the probe's own requests
   * share this loop: a stalled loop would delay them and read as latency or downtime of the app.
   * So the next checkpoint waits at least `snapshot time / loopShare`.
   */
  loopShare?: number;
  /** Told when a checkpoint could not be written (the run goes on; the report may miss a stretch). */
  onError?: (error: unknown) => void;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => Timer;
  clearTimeout?: (timer: Timer) => void;
}

/**
 * Keeps the probe's record on disk while the probe runs, so a baton process killed mid-run
 * (SIGKILL, a lost machine) leaves what it measured for `resume` and `report`: a snapshot every
 * interval and at every step start, never more often than the loop budget allows. One write at
 * a time; one asked for meanwhile is written when it is due (the newest state, once).
 */
export class ProbeCheckpoint {
  private readonly earlier: readonly ProbeRecord[];
  private readonly clock: () => number;
  private timer: Timer | undefined;
  private writing: Promise<void> | undefined;
  private asked = false;
  private stopped = false;
  /** Earliest time the next snapshot may be taken (the loop budget). */
  private allowedAt = 0;

  constructor(private readonly o: ProbeCheckpointOptions) {
    this.earlier = o.earlier ?? [];
    this.clock = o.now ?? (() => performance.now());
    this.schedule(o.intervalMs ?? 2000);
  }

  /** Writes a checkpoint as soon as the loop budget allows (after the one being written, if any). */
  now(): void {
    if (this.stopped) return;
    const wait = this.allowedAt - this.clock();
    if (this.writing || wait > 0) {
      this.asked = true;
      if (!this.writing) this.schedule(wait);
      return;
    }
    this.asked = false;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
      if (this.stopped) return;
      if (this.asked) this.now();
      else this.schedule(Math.max(this.o.intervalMs ?? 2000, this.allowedAt - this.clock()));
    });
  }

  /** No more checkpoints; resolves once the one being written (if any) is on disk. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) (this.o.clearTimeout ?? clearTimeout)(this.timer);
    while (this.writing) await this.writing;
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) (this.o.clearTimeout ?? clearTimeout)(this.timer);
    this.timer = (this.o.setTimeout ?? setTimeout)(
      () => {
        this.timer = undefined;
        this.now();
      },
      Math.max(0, ms),
    );
    this.timer.unref?.(); // a checkpoint never keeps the process alive
  }

  private async write(): Promise<void> {
    const started = this.clock();
    try {
      const live = this.o.probe.snapshot();
      this.allowedAt = this.clock() + (this.clock() - started) / (this.o.loopShare ?? 0.02);
      await this.o.save([...this.earlier, live]);
    } catch (error) {
      this.o.onError?.(error);
    }
  }
}
