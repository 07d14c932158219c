import { createdTables } from '../../migration/created-tables.js';
import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table (writes wait for it, it waits for every open
 * transaction), and from then on every write of the running release runs the trigger.
 */
export const createTrigger: MigrationRule = {
  severity: 'warning',
  summary:
    'CREATE TRIGGER on an existing table blocks its writes while it waits for the lock, then changes every write of the running release',
  dialects: ['postgres'],
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'create-trigger')
      .filter((op) => !fresh.has(op.table))
      .map((op) => ({
        location: op.location,
        message: `CREATE TRIGGER ${op.trigger} on ${op.table} takes a SHARE ROW EXCLUSIVE lock (writes queue behind it) and adds work to every write of the running release`,
        hint: "Keep it alone in a short-timeout migration (baton retries the lock wait), make the trigger function cheap and correct for old code's writes too, and measure write latency after it lands.",
      }));
  },
};
