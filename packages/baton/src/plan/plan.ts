import type { MigrationPlan } from '../db/migrations/plan-migrations.js';
import type { PlannedStep } from '../engine/step.js';
import type { Drift } from './drift.js';

/** What `baton plan` prints and `baton upgrade` runs: pure, serializable data. */
export interface Plan {
  app: string;
  namespace: string;
  strategy: string;
  from: ReleaseRef | null;
  to: ReleaseRef;
  steps: PlannedStep[];
  drift: Drift[];
  warnings: string[];
  /** With database.migrations: the migrations this run applies, in order, and the INVALID-index repairs migrate does first. */
  migrations?: MigrationPlan;
}

export interface ReleaseRef {
  version: string;
  image: string;
}
