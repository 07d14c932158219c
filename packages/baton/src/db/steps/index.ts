import type { StepKind } from '../../engine/step.js';
import { createAwaitOldSessionsGoneStep } from './await-old-sessions-gone-step.js';
import { createBackfillStep } from './backfill-step.js';
import { createBackupStep } from './backup-step.js';
import type { DbStepDeps } from './db-step-deps.js';
import { createMigrateStep } from './migrate-step.js';

export type { DbStepDeps } from './db-step-deps.js';
export type { DbRef, SecretResolver } from './db-ref.js';

/** The database step kinds, with injected dependencies (the engine passes a Secret resolver). */
export function createDbStepKinds(deps: DbStepDeps = {}): Record<string, StepKind> {
  const kinds = [createBackupStep(deps), createMigrateStep(deps), createBackfillStep(deps), createAwaitOldSessionsGoneStep(deps)];
  return Object.fromEntries(kinds.map((k) => [k.kind, k]));
}

/** backup, migrate, backfill, await-old-sessions-gone with production defaults ({env} refs only). */
export const dbStepKinds: Record<string, StepKind> = createDbStepKinds();
