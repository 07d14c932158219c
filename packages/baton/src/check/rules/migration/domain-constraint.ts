import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * ALTER DOMAIN ADD CONSTRAINT checks every column of every table using the domain while holding
 * a lock that blocks their writes; a CHECK on CREATE DOMAIN means every later change is such an ALTER.
 */
export const domainConstraint: MigrationRule = {
  severity: 'error',
  summary: 'ALTER DOMAIN ... ADD CONSTRAINT scans every table using the domain under lock (CREATE DOMAIN with CHECK: warning)',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'domain-constraint')
      .filter((op) => op.action === 'create' || !op.notValid)
      .map((op) =>
        op.action === 'add'
          ? {
              location: op.location,
              message: `adds a constraint to domain ${op.domain}: PostgreSQL checks every row of every table with a ${op.domain} column while their writes wait`,
              hint: `Add it NOT VALID (ALTER DOMAIN ${op.domain} ADD CONSTRAINT ... NOT VALID), then VALIDATE CONSTRAINT in a later migration; or put a CHECK on the columns instead.`,
            }
          : {
              location: op.location,
              severity: 'warning' as const,
              message: `domain ${op.domain} carries a CHECK: changing it later is an ALTER DOMAIN that scans every table using it`,
              hint: 'Put the CHECK on the table columns (ALTER TABLE ... ADD CONSTRAINT ... CHECK ... NOT VALID, then VALIDATE), where it can change table by table.',
            },
      ),
};
