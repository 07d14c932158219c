import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** A release migration never drops a database: every table of it, and the running release, go with it. */
export const dropDatabase: MigrationRule = {
  severity: 'error',
  summary: 'DROP DATABASE (MySQL: DROP SCHEMA) in a migration destroys every table the running release uses',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'drop-database').map((op) => ({
      location: op.location,
      message: `drops database ${op.name}: every table in it and all its data are gone, and the running release fails at once`,
      hint: 'Never drop a database in a release migration; decommission it by hand after a verified backup, outside the deploy.',
    })),
};
