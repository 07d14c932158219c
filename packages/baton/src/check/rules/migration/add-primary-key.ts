import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/** A new primary key builds a unique index (PostgreSQL) or rebuilds the table (MySQL) under lock. */
export const addPrimaryKey: MigrationRule = {
  severity: 'error',
  summary: 'ADD PRIMARY KEY on an existing table builds an index or rebuilds the table under lock',
  dialects: ['postgres', 'mysql'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'add-constraint')
      .filter((op) => op.type === 'primary-key' && !op.usingIndex && !fresh.has(op.table))
      .map((op) => ({
        location: op.location,
        table: op.table,
        message:
          context.dialect === 'postgres'
            ? `adds a primary key to ${op.table}: a unique index is built (and NOT NULL checked) under ACCESS EXCLUSIVE`
            : `adds a primary key to ${op.table}: InnoDB rebuilds the whole table`,
        hint:
          context.dialect === 'postgres'
            ? `Make the columns NOT NULL safely first, CREATE UNIQUE INDEX CONCURRENTLY ${op.table}_pkey_idx ON ${op.table} (...), then ALTER TABLE ${op.table} ADD CONSTRAINT ${op.table}_pkey PRIMARY KEY USING INDEX ${op.table}_pkey_idx.`
            : 'Run the change with gh-ost or pt-online-schema-change, or create a new table with the key and copy into it in batches.',
      }));
  },
};
