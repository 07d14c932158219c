import type { z } from 'zod';
import type { JsonObject } from '../json.js';
import { BatonError } from '../errors.js';
import type { Gate } from './gate.js';

/** What a gate learns from the step that evaluates it. */
export interface GateEnv {
  /** When the gate step started (epoch ms): windows such as the probe's start here. */
  startedAt: number;
  /** The gate step's id: names what the gate measured in the probe's record. */
  stepId?: string;
}

/** Builds a gate from its JSON config (`params.gate` of a gate step). Throws GATE_INVALID. */
export type GateFactory = (config: JsonObject, env: GateEnv) => Gate;

/** Parses a gate's config with its schema, turning problems into one readable GATE_INVALID. */
export function parseGateConfig<T>(kind: string, schema: z.ZodType<T>, config: JsonObject): T {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
  throw new BatonError('GATE_INVALID', `${kind} gate: ${problems.join('; ')}`, {
    hint: 'fix the gate in baton.yaml; `baton check` reports the same problem',
  });
}
