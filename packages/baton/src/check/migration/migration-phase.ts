/**
 * When a migration may run relative to the rollout: `expand` before the new code (old code keeps
 * working), `backfill` in batches after expand, `contract` only once no pod of an older release
 * is left.
 */
export type MigrationPhase = 'expand' | 'backfill' | 'contract';

export const migrationPhases: readonly MigrationPhase[] = ['expand', 'backfill', 'contract'];

export function isMigrationPhase(value: string): value is MigrationPhase {
  return (migrationPhases as readonly string[]).includes(value);
}
