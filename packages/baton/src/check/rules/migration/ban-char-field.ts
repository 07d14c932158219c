import type { MigrationRule } from '../../migration/migration-rule.js';
import { newColumns } from '../../migration/new-columns.js';

/** char(n) pads with spaces, compares surprisingly, and is never faster than text in PostgreSQL. */
export const banCharField: MigrationRule = {
  severity: 'warning',
  summary: 'char(n) on PostgreSQL pads values with spaces; use text (with a CHECK if the length matters)',
  dialects: ['postgres'],
  check: ({ operations }) =>
    newColumns(operations)
      .filter((c) => /^bpchar(\(\d+\))?$/.test(c.type))
      .map((c) => ({
        location: c.location,
        message: `${c.table}.${c.column} is char${/\(\d+\)/.exec(c.type)?.[0] ?? ''}: values are blank-padded, trailing spaces are ignored in comparisons, and changing it later rewrites the table`,
        hint: `Declare ${c.column} text, with CHECK (char_length(${c.column}) = n) if a fixed length is the rule.`,
      })),
};
