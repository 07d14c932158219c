import type { MigrationRule } from '../migration/migration-rule.js';
import { banCharField } from './migration/ban-char-field.js';
import { createTrigger } from './migration/create-trigger.js';
import { disableTrigger } from './migration/disable-trigger.js';
import { domainConstraint } from './migration/domain-constraint.js';
import { dropDatabase } from './migration/drop-database.js';
import { dropSchema } from './migration/drop-schema.js';
import { preferBigint } from './migration/prefer-bigint.js';
import { preferIdentity } from './migration/prefer-identity.js';
import { preferRobustStmts } from './migration/prefer-robust-stmts.js';
import { preferTextField } from './migration/prefer-text-field.js';
import { preferTimestamptz } from './migration/prefer-timestamptz.js';
import { setSchema } from './migration/set-schema.js';
import { transactionNesting } from './migration/transaction-nesting.js';
import { addColumnNotNull } from './migration/add-column-not-null.js';
import { addColumnRewrite } from './migration/add-column-rewrite.js';
import { addExcludeConstraint } from './migration/add-exclude-constraint.js';
import { addPrimaryKey } from './migration/add-primary-key.js';
import { addUniqueConstraint } from './migration/add-unique-constraint.js';
import { alterColumnType } from './migration/alter-column-type.js';
import { backfillBatching } from './migration/backfill-batching.js';
import { backfillOutsideBackfillPhase } from './migration/backfill-outside-backfill-phase.js';
import { concurrentlyInTransaction } from './migration/concurrently-in-transaction.js';
import { constraintNotValid } from './migration/constraint-not-valid.js';
import { createIndexConcurrently } from './migration/create-index-concurrently.js';
import { dmlWithoutWhere } from './migration/dml-without-where.js';
import { dropColumn } from './migration/drop-column.js';
import { dropIndexConcurrently } from './migration/drop-index-concurrently.js';
import { dropNotNull } from './migration/drop-not-null.js';
import { dropTable } from './migration/drop-table.js';
import { enumValueChange } from './migration/enum-value-change.js';
import { lockTable } from './migration/lock-table.js';
import { mixedPhases } from './migration/mixed-phases.js';
import { mysqlAlgorithmLock } from './migration/mysql-algorithm-lock.js';
import { phaseMismatch } from './migration/phase-mismatch.js';
import { preferJsonb } from './migration/prefer-jsonb.js';
import { renameColumn } from './migration/rename-column.js';
import { renameTable } from './migration/rename-table.js';
import { setNotNull } from './migration/set-not-null.js';
import { tableRewrite } from './migration/table-rewrite.js';
import { transactionUnclosed } from './migration/transaction-unclosed.js';
import { truncateTable } from './migration/truncate-table.js';

/** Every migration rule by id. Adding a rule adds one file and one entry here. */
export const migrationRules = {
  'phase-mismatch': phaseMismatch,
  'mixed-phases': mixedPhases,
  'drop-column': dropColumn,
  'drop-table': dropTable,
  'rename-column': renameColumn,
  'rename-table': renameTable,
  'alter-column-type': alterColumnType,
  'set-not-null': setNotNull,
  'drop-not-null': dropNotNull,
  'add-column-not-null': addColumnNotNull,
  'add-column-rewrite': addColumnRewrite,
  'create-index-concurrently': createIndexConcurrently,
  'drop-index-concurrently': dropIndexConcurrently,
  'concurrently-in-transaction': concurrentlyInTransaction,
  'constraint-not-valid': constraintNotValid,
  'add-unique-constraint': addUniqueConstraint,
  'add-primary-key': addPrimaryKey,
  'add-exclude-constraint': addExcludeConstraint,
  'dml-without-where': dmlWithoutWhere,
  'backfill-outside-backfill-phase': backfillOutsideBackfillPhase,
  'backfill-batching': backfillBatching,
  'lock-table': lockTable,
  'table-rewrite': tableRewrite,
  truncate: truncateTable,
  'enum-value-change': enumValueChange,
  'prefer-jsonb': preferJsonb,
  'mysql-algorithm-lock': mysqlAlgorithmLock,
  'transaction-unclosed': transactionUnclosed,
  'ban-char-field': banCharField,
  'create-trigger': createTrigger,
  'disable-trigger': disableTrigger,
  'domain-constraint': domainConstraint,
  'drop-database': dropDatabase,
  'drop-schema': dropSchema,
  'prefer-bigint': preferBigint,
  'prefer-identity': preferIdentity,
  'prefer-robust-stmts': preferRobustStmts,
  'prefer-text-field': preferTextField,
  'prefer-timestamptz': preferTimestamptz,
  'set-schema': setSchema,
  'transaction-nesting': transactionNesting,
} satisfies Record<string, MigrationRule>;

export type MigrationRuleId = keyof typeof migrationRules;
