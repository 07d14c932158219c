import type { Probe } from './pod-types.js';
import type { ActionResult, ActionTarget } from './handler-action.js';
import { runAction } from './handler-action.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

export interface ProberOptions {
  kind: ProbeKind;
  probe: Probe;
  target: () => ActionTarget;
  /** Called when the thresholded result flips (and for the first readiness/startup verdict). */
  onResult(ok: boolean, last: ActionResult): void;
  /** Called on every failed attempt (the kubelet records an Unhealthy event). */
  onFailure?(r: ActionResult & { kind: 'failure' }): void;
  run?: typeof runAction;
}

/**
 * Periodic probe worker with the kubelet's threshold semantics: initialDelaySeconds before the
 * first attempt, then every periodSeconds; the result flips after successThreshold successes or
 * failureThreshold failures in a row.
 */
export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private state: boolean | undefined;

  constructor(private readonly o: ProberOptions) {}

  get kind(): ProbeKind {
    return this.o.kind;
  }

  start(): void {
    const delay = (this.o.probe.initialDelaySeconds ?? 0) * 1000;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const p = this.o.probe;
    const r = await (this.o.run ?? runAction)(p, this.o.target(), (p.timeoutSeconds ?? 1) * 1000);
    if (this.stopped) return;
    if (r.kind === 'success') {
      this.failures = 0;
      this.successes++;
      // Liveness and startup must have successThreshold 1 in Kubernetes; honour it for readiness.
      const need = this.o.kind === 'readiness' ? (p.successThreshold ?? 1) : 1;
      if (this.successes >= need && this.state !== true) {
        this.state = true;
        this.o.onResult(true, r);
      }
    } else {
      this.successes = 0;
      this.failures++;
      this.o.onFailure?.(r);
      if (this.failures >= (p.failureThreshold ?? 3) && this.state !== false) {
        this.state = false;
        this.o.onResult(false, r);
        // After a liveness/startup kill the container restarts with a fresh worker.
        if (this.o.kind !== 'readiness') return;
      }
    }
    this.timer = setTimeout(() => void this.tick(), (p.periodSeconds ?? 10) * 1000);
  }
}
