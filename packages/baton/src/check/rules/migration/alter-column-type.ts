import type { MigrationRule, RuleHit } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';
import { proveTypeChangeFree } from '../../migration/type-change-live-proof.js';

/**
 * A type change rewrites the table under an exclusive lock and changes what readers get. With
 * the live schema, a change PostgreSQL makes without a rewrite that readers cannot tell from the
 * old type (varchar growth, varchar to text) is not flagged: the live type proves it. On
 * MySQL/MariaDB an InnoDB VARCHAR growth within the same length-prefix size is info, with the
 * byte lengths that prove it.
 */
export const alterColumnType: MigrationRule = {
  severity: 'error',
  summary: 'changing a column type rewrites the table and breaks readers of the old type',
  dialects: ['postgres', 'mysql'],
  smallTable: 'warning',
  check: (context) => {
    const fresh = createdTables(context);
    const how =
      context.dialect === 'postgres'
        ? 'rewrites the table and its indexes under ACCESS EXCLUSIVE'
        : 'copies the whole table (ALGORITHM=COPY) and blocks writes';
    return operationsOf(context.operations, 'alter-column-type')
      .filter((op) => !fresh.has(op.table))
      .flatMap((op): RuleHit[] => {
        const proof = context.live === undefined ? undefined : proveTypeChangeFree(op, context.live);
        // PostgreSQL's proof is a catalog-only change: nothing to say. MariaDB's rests on byte
        // lengths the reader cannot see in the SQL, so it is shown (info, no size: nothing is copied).
        if (proof !== undefined && context.dialect === 'postgres') return [];
        if (proof !== undefined)
          return [
            {
              severity: 'info',
              location: op.location,
              message: `changes ${op.table}.${op.column} from ${proof.from} to ${op.type}(${op.restated?.length}): live, ${proof.how}; readers keep the same values`,
              hint: 'Nothing to do; ALGORITHM=INSTANT (or INPLACE, LOCK=NONE) in the statement makes the server refuse rather than copy should the table differ from what check read.',
            },
          ];
        return [
          {
            location: op.location,
            table: op.table,
            message: `changes the type of ${op.table}.${op.column} to ${op.type}: ${how}, and the running release still expects the old type`,
            hint: `Add a new column ${op.column}_new ${op.type}, write both from the new release, backfill it in batches (phase=backfill), switch reads, then drop ${op.column} in a phase=contract migration.${context.dialect === 'mysql' ? ' For a large table use gh-ost or pt-online-schema-change.' : ''}`,
          },
        ];
      });
  },
};
