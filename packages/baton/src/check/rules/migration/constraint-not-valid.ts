import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * Adding a FOREIGN KEY or CHECK validates every row while holding a lock that blocks writes
 * (FOREIGN KEY: on both tables). NOT VALID skips the scan; VALIDATE later takes a weaker lock.
 */
export const constraintNotValid: MigrationRule = {
  severity: 'error',
  summary: 'ADD FOREIGN KEY / CHECK without NOT VALID scans the table while blocking writes',
  dialects: ['postgres', 'mysql'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'add-constraint')
      .filter((op) => (op.type === 'foreign-key' || op.type === 'check') && !op.notValid && !fresh.has(op.table))
      .map((op) => {
        const what = op.type === 'foreign-key' ? 'FOREIGN KEY' : 'CHECK';
        return context.dialect === 'postgres'
          ? {
              location: op.location,
              table: op.table,
              message: `adds ${what} ${op.constraint} on ${op.table} with validation: every row is checked while writes${op.type === 'foreign-key' ? ' to both tables' : ''} are blocked`,
              hint: `ALTER TABLE ${op.table} ADD CONSTRAINT ${op.constraint} ... NOT VALID; then in a later migration ALTER TABLE ${op.table} VALIDATE CONSTRAINT ${op.constraint} (SHARE UPDATE EXCLUSIVE: reads and writes continue).`,
            }
          : {
              location: op.location,
              table: op.table,
              message: `adds ${what} ${op.constraint} on ${op.table}: MySQL/MariaDB validates it with a table copy that blocks writes`,
              hint:
                op.type === 'foreign-key'
                  ? 'If the rows are known valid, run it with SET foreign_key_checks=0 (ALGORITHM=INPLACE), or use gh-ost/pt-online-schema-change; otherwise enforce it in the application first.'
                  : 'There is no online CHECK on MySQL: enforce it in the application, or rebuild the table with gh-ost/pt-online-schema-change.',
              severity: 'warning' as const,
            };
      });
  },
};
