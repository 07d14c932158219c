import type { MigrationRule } from '../../migration/migration-rule.js';
import { newColumns } from '../../migration/new-columns.js';

/** Raising a varchar(n) limit later is an ALTER TYPE; a text column with a CHECK changes with NOT VALID + VALIDATE. */
export const preferTextField: MigrationRule = {
  severity: 'warning',
  summary: 'varchar(n) on PostgreSQL: changing the limit later is a type change; use text with a CHECK',
  dialects: ['postgres'],
  check: ({ operations }) =>
    newColumns(operations)
      .filter((c) => /^varchar\(\d+\)$/.test(c.type))
      .map((c) => ({
        location: c.location,
        message: `${c.table}.${c.column} is ${c.type}: lowering its limit later rewrites the table under ACCESS EXCLUSIVE, and the limit is a type change, not a constraint`,
        hint: `Declare ${c.column} text with CHECK (char_length(${c.column}) <= ${/\d+/.exec(c.type)?.[0] ?? 'n'}); a new limit is then ADD CONSTRAINT ... NOT VALID + VALIDATE, which blocks nothing.`,
      })),
};
