import type { RunContext } from '../engine/step.js';

/** A gate's answer. `inconclusive` is never a pass: policy decides (pause for a human by default). */
export type GateVerdict =
  | { kind: 'pass'; detail?: string }
  | { kind: 'fail'; reason: string }
  | { kind: 'inconclusive'; reason: string }
  | { kind: 'wait'; retryAfterMs: number; reason?: string };

export interface Gate {
  name: string;
  evaluate(ctx: RunContext): Promise<GateVerdict>;
}
