import { BatonError } from '../errors.js';
import type { PlannedStep, StepRegistry } from './step.js';

/**
 * Every check the engine can make before acting: step ids unique, every kind registered. Run
 * before a run starts and before a stopped run is continued, so a plan the registry cannot
 * execute fails with PLAN_INVALID instead of half-way through.
 */
export function validatePlan(steps: readonly PlannedStep[], registry: StepRegistry): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) throw new BatonError('PLAN_INVALID', `step id ${step.id} appears twice in the plan`);
    seen.add(step.id);
    if (registry[step.kind] === undefined) {
      throw new BatonError('PLAN_INVALID', `step ${step.id}: no step kind ${JSON.stringify(step.kind)} is registered`, {
        hint: 'this baton does not know that step kind; resume with the baton version that planned the run',
      });
    }
  }
}
