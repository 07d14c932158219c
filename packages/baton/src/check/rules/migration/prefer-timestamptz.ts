import type { MigrationRule } from '../../migration/migration-rule.js';
import { newColumns } from '../../migration/new-columns.js';

/** timestamp without time zone stores wall-clock time: its meaning changes with the session TimeZone. */
export const preferTimestamptz: MigrationRule = {
  severity: 'warning',
  summary: 'timestamp without time zone on PostgreSQL: use timestamptz',
  dialects: ['postgres'],
  check: ({ operations }) =>
    newColumns(operations)
      .filter((c) => /^timestamp(\(\d+\))?$/.test(c.type))
      .map((c) => ({
        location: c.location,
        message: `${c.table}.${c.column} is timestamp without time zone: two pods with different TimeZone settings read and write different instants`,
        hint: `Declare ${c.column} timestamptz (converting later is a rewrite unless the session time zone is UTC).`,
      })),
};
