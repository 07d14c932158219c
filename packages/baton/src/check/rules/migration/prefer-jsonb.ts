import type { MigrationRule } from '../../migration/migration-rule.js';
import type { Operation } from '../../migration/operation.js';
import type { SourcePosition } from '../../sql/source-position.js';

function jsonColumns(op: Operation): { table: string; column: string; location: SourcePosition }[] {
  if (op.kind === 'add-column' || op.kind === 'alter-column-type')
    return op.type === 'json' ? [{ table: op.table, column: op.column, location: op.location }] : [];
  if (op.kind === 'create-table')
    return op.columns.filter((c) => c.type === 'json').map((c) => ({ table: op.table, column: c.name, location: op.location }));
  return [];
}

/** `json` keeps the text: no equality operator (DISTINCT, UNIQUE, GROUP BY fail), no GIN index. */
export const preferJsonb: MigrationRule = {
  severity: 'warning',
  summary: 'json instead of jsonb on PostgreSQL',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operations.flatMap(jsonColumns).map((c) => ({
      location: c.location,
      message: `${c.table}.${c.column} is json: it cannot be compared (DISTINCT, GROUP BY, UNIQUE fail) or GIN-indexed, and changing it later is a table rewrite`,
      hint: `Declare ${c.column} as jsonb now.`,
    })),
};
