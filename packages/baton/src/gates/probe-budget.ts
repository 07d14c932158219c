import { z } from 'zod';
import type { JsonObject } from '../json.js';
import type { Gate, GateVerdict } from './gate.js';
import { parseGateConfig } from './gate-factory.js';
import type { GateEnv } from './gate-factory.js';
import type { ProbeStats } from '../engine/step.js';

const probeGateConfig = z
  .object({
    kind: z.literal('probe'),
    /** Failed / total requests allowed (0..1). Default 0: baton's promise is no dropped request. */
    maxErrorRate: z.number().min(0).max(1).default(0),
    /** p99 latency budget; unset: latency is not judged. */
    maxP99Ms: z.number().positive().optional(),
    /** Long-lived streams cut allowed. Default 0. */
    maxStreamsCut: z.number().int().min(0).default(0),
    /** Below this many requests since the step started, the verdict is inconclusive. */
    minRequests: z.number().int().min(1).default(20),
  })
  .strict();

export type ProbeGateConfig = z.infer<typeof probeGateConfig>;

/**
 * Judges live traffic since the gate step started, from the traffic probe: error-rate, p99 and
 * streams-cut budgets. Too little traffic (or no probe at all) is inconclusive, never a pass.
 */
export function createProbeGate(config: JsonObject, env: GateEnv): Gate {
  const c = parseGateConfig('probe', probeGateConfig, config);
  return {
    name: 'probe budget',
    async evaluate(ctx): Promise<GateVerdict> {
      if (ctx.probe === undefined) return { kind: 'inconclusive', reason: 'no traffic probe is running' };
      return judge(c, ctx.probe.stats(env.startedAt));
    },
  };
}

function judge(c: ProbeGateConfig, s: ProbeStats): GateVerdict {
  if (s.requests < c.minRequests) {
    return { kind: 'inconclusive', reason: `only ${s.requests} requests since the step started (need ${c.minRequests})` };
  }
  const errorRate = s.failed / s.requests;
  if (errorRate > c.maxErrorRate) {
    return {
      kind: 'fail',
      reason: `${s.failed} of ${s.requests} requests failed (${percent(errorRate)}, budget ${percent(c.maxErrorRate)})`,
    };
  }
  if (s.streamsCut > c.maxStreamsCut) {
    return { kind: 'fail', reason: `${s.streamsCut} streams cut (budget ${c.maxStreamsCut})` };
  }
  if (c.maxP99Ms !== undefined) {
    if (s.p99Ms === null) return { kind: 'inconclusive', reason: 'no latency measured yet' };
    if (s.p99Ms > c.maxP99Ms) return { kind: 'fail', reason: `p99 ${s.p99Ms} ms over budget ${c.maxP99Ms} ms` };
  }
  return { kind: 'pass', detail: `${s.requests} requests, ${s.failed} failed, ${s.streamsCut} streams cut, p99 ${s.p99Ms ?? '-'} ms` };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}
