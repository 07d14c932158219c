import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** DISABLE TRIGGER ALL also disables the internal triggers that enforce foreign keys. */
export const disableTrigger: MigrationRule = {
  severity: 'warning',
  summary: 'ALTER TABLE ... DISABLE TRIGGER stops triggers (with ALL, foreign-key checks too) for the running release',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'disable-trigger').map((op) => ({
      location: op.location,
      message: op.all
        ? `disables every trigger on ${op.table}, the foreign-key triggers included: the running release can then write rows that break referential integrity`
        : `disables a trigger on ${op.table} for every session, the running release's included`,
      hint: 'Drop or replace the trigger in a migration of its own instead; to skip triggers for a bulk load, use SET session_replication_role = replica in that session only.',
    })),
};
