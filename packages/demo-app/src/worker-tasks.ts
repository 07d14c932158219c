/** One long task as the message asks for it: `{"ms": 60000}` (a bare number of ms also works). */
export interface TaskRequest {
  ms: number;
}

/** Parses a task message; an unusable message is a zero-length task rather than a crash. */
export function parseTask(payload: string): TaskRequest {
  const text = payload.trim();
  const asNumber = Number(text);
  if (text !== '' && Number.isFinite(asNumber)) return { ms: Math.max(0, asNumber) };
  try {
    const parsed = JSON.parse(text) as { ms?: unknown };
    if (typeof parsed.ms === 'number' && Number.isFinite(parsed.ms)) return { ms: Math.max(0, parsed.ms) };
  } catch {
    // fall through
  }
  return { ms: 0 };
}

/**
 * Counts the tasks running in this worker and lets a shutdown wait for them: the rainbow promise
 * is that a task, once started on a release, finishes on it. `onChange` feeds the metric.
 */
export class TaskTracker {
  private active = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly onChange: (active: number) => void = () => {}) {}

  get activeCount(): number {
    return this.active;
  }

  /** Runs a task of `ms` milliseconds (a timer stands in for real work). */
  async run(task: TaskRequest, delay: (ms: number) => Promise<void> = sleep): Promise<void> {
    this.active += 1;
    this.onChange(this.active);
    try {
      await delay(task.ms);
    } finally {
      this.active -= 1;
      this.onChange(this.active);
      if (this.active === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Resolves when no task runs (at once if none does). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
