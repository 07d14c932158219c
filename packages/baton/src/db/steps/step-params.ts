import type { z } from 'zod';
import { BatonError } from '../../errors.js';
import type { JsonObject } from '../../json.js';

/** Validates a step's params; a bad plan is a bug in the planner or a hand-edited journal. */
export function parseParams<S extends z.ZodType>(schema: S, params: JsonObject, kind: string, stepId: string): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new BatonError('STEP_PARAMS_INVALID', `step ${stepId} (${kind}) has invalid params: ${issues}`);
  }
  return result.data;
}
