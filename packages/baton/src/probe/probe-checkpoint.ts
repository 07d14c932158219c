import type { Probe } from './probe.js';
import type { ProbeRecord } from './probe-record.js';

/** Where checkpoints go: every segment of the run so far, the live one last. */
export type SaveSegments = (segments: ProbeRecord[]) => Promise<void>;

type Timer = ReturnType<typeof setInterval>;

export interface ProbeCheckpointOptions {
  probe: Probe;
  /** Segments earlier processes measured for this run (resume): kept ahead of this one. */
  earlier?: readonly ProbeRecord[];
  save: SaveSegments;
  /** Default 2000: a SIGKILL loses at most this much of what the probe measured. */
  intervalMs?: number;
  /** Told when a checkpoint could not be written (the run goes on; the report may miss a stretch). */
  onError?: (error: unknown) => void;
  setInterval?: (fn: () => void, ms: number) => Timer;
  clearInterval?: (timer: Timer) => void;
}

/**
 * Keeps the probe's record on disk while the probe runs, so a baton process killed mid-run
 * (SIGKILL, a lost machine) leaves what it measured for `resume` and `report`: a snapshot every
 * interval and at every step mark. One write at a time; a checkpoint asked for while one is being
 * written is written after it (the newest state, once), so a fast probe never queues writes.
 */
export class ProbeCheckpoint {
  private readonly earlier: readonly ProbeRecord[];
  private readonly timer: Timer;
  private writing: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly o: ProbeCheckpointOptions) {
    this.earlier = o.earlier ?? [];
    this.timer = (o.setInterval ?? setInterval)(() => this.now(), o.intervalMs ?? 2000);
    this.timer.unref?.(); // a checkpoint never keeps the process alive
  }

  /** Writes a checkpoint soon (after the one being written, if any). */
  now(): void {
    if (this.stopped) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.write().finally(() => {
      this.writing = undefined;
      if (this.again) {
        this.again = false;
        this.now();
      }
    });
  }

  /** No more checkpoints; resolves once the one being written (if any) is on disk. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    (this.o.clearInterval ?? clearInterval)(this.timer);
    while (this.writing) await this.writing;
  }

  /** Every segment, the live one as measured so far: what the record would be if the process died now. */
  segments(live: ProbeRecord): ProbeRecord[] {
    return [...this.earlier, live];
  }

  private async write(): Promise<void> {
    try {
      await this.o.save(this.segments(this.o.probe.snapshot()));
    } catch (error) {
      this.o.onError?.(error);
    }
  }
}
