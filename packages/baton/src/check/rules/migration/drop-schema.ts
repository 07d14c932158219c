import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** DROP SCHEMA drops every object in it (with CASCADE, everything that depends on them too). */
export const dropSchema: MigrationRule = {
  severity: 'error',
  summary: 'DROP SCHEMA removes every table in it; outside a contract migration the running release breaks',
  dialects: ['postgres'],
  check: ({ operations, source }) =>
    operationsOf(operations, 'drop-schema')
      .filter((op) => source.declaredPhase !== 'contract' || op.cascade)
      .map((op) => ({
        location: op.location,
        message: op.cascade
          ? `DROP SCHEMA ${op.schema} CASCADE drops every table, view and function in it and everything elsewhere that depends on them, without listing them`
          : `drops schema ${op.schema} while the running release may still use it`,
        hint: `Drop the schema's tables one by one (DROP TABLE ...) in a phase=contract migration after no pod reads them, then DROP SCHEMA ${op.schema} without CASCADE so PostgreSQL refuses if anything is left.`,
      })),
};
