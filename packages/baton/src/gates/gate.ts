import type { RunContext } from '../engine/step.js';
import type { StepTraffic } from '../report/step-traffic.js';

/**
 * A gate's answer. `inconclusive` is never a pass: policy decides (pause for a human by default).
 * `skip` means the gate has nothing it could judge by design (no probe configured, nothing served
 * yet on a first install): the step ends without a verdict and the report says why.
 * `traffic` is what a traffic gate measured (weight set, share measured, answers judged).
 */
export type GateVerdict =
  | { kind: 'pass'; detail?: string; traffic?: StepTraffic }
  | { kind: 'fail'; reason: string; traffic?: StepTraffic }
  | { kind: 'inconclusive'; reason: string; traffic?: StepTraffic }
  | { kind: 'wait'; retryAfterMs: number; reason?: string }
  | { kind: 'skip'; reason: string };

export interface Gate {
  name: string;
  /** Judges once. Throws when `ctx.signal` is aborted (a cancelled run has no verdict). */
  evaluate(ctx: RunContext): Promise<GateVerdict>;
}
