import type { SourcePosition } from '../sql/source-position.js';

/**
 * What a migration statement does, independent of the SQL dialect: the dialect adapters
 * (postgres-operations.ts, mysql-operations.ts) turn syntax trees into these, and the rules in
 * rules/migration/ read only these. One ALTER TABLE with several actions yields several
 * operations.
 */
export type Operation = OperationBody & {
  /** The whole statement the operation came from, as written. */
  sql: string;
  /** Where the statement starts in the file. */
  location: SourcePosition;
};

/** The default of a new column: volatile ones (now(), random(), gen_random_uuid()) differ per row. */
export type DefaultKind = 'none' | 'constant' | 'volatile';

/** Maintenance commands that hold a strong lock on a whole table for as long as they run. */
export type HeavyLockCommand =
  | 'VACUUM FULL'
  | 'CLUSTER'
  | 'REINDEX'
  | 'SET LOGGED'
  | 'SET UNLOGGED'
  | 'DETACH PARTITION'
  | 'REFRESH MATERIALIZED VIEW';

/**
 * What a MySQL/MariaDB MODIFY or CHANGE says besides the type name: whatever it leaves out the
 * column loses (NOT NULL, DEFAULT) or takes from the table (character set and collation).
 */
export interface RestatedColumn {
  /** VARCHAR(n)'s n, when written. */
  length: number | undefined;
  characterSet: string | undefined;
  collation: string | undefined;
  notNull: boolean;
  /** `none`: no DEFAULT clause; `unread`: one baton does not spell (an expression); else its literal spelling (`'x'`, `0`). */
  default: string;
}

export type ConstraintKind = 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'exclude';

export type OperationBody =
  | {
      kind: 'add-column';
      table: string;
      column: string;
      type: string;
      notNull: boolean;
      default: DefaultKind;
      generatedStored: boolean;
      serial: boolean;
    }
  | { kind: 'drop-column'; table: string; column: string }
  | { kind: 'rename-column'; table: string; column: string; to: string }
  | { kind: 'rename-table'; table: string; to: string }
  | {
      kind: 'alter-column-type';
      table: string;
      column: string;
      type: string;
      /** MySQL/MariaDB MODIFY/CHANGE: the whole column definition it restates (it replaces the old one). */
      restated?: RestatedColumn;
    }
  | { kind: 'set-not-null'; table: string; column: string }
  | { kind: 'drop-not-null'; table: string; column: string }
  | {
      kind: 'create-table';
      table: string;
      columns: { name: string; type: string }[];
      /** False when the table takes columns from elsewhere (LIKE, INHERITS, PARTITION OF, OF type, AS SELECT): `columns` is then partial. */
      columnsListed: boolean;
    }
  | { kind: 'drop-table'; table: string }
  | {
      kind: 'create-index';
      table: string;
      index: string;
      concurrently: boolean;
      unique: boolean;
      /** The plain columns it names (keys, INCLUDE); expression elements are left out. */
      columns: string[];
    }
  | { kind: 'drop-index'; index: string; concurrently: boolean }
  | {
      kind: 'add-constraint';
      table: string;
      constraint: string;
      type: ConstraintKind;
      notValid: boolean;
      usingIndex: boolean;
      /** For a CHECK that is exactly `column IS NOT NULL`: that column (what lets SET NOT NULL skip its scan). */
      notNullColumn?: string;
    }
  | { kind: 'validate-constraint'; table: string; constraint: string }
  | { kind: 'drop-constraint'; table: string; constraint: string }
  | {
      kind: 'dml';
      verb: 'update' | 'delete' | 'insert';
      table: string;
      hasWhere: boolean;
      /** UPDATE: the columns of `table` its SET assigns, only those the parser output makes certain. */
      setColumns?: string[];
    }
  | { kind: 'lock-table'; table: string }
  | { kind: 'rewrite-table'; command: HeavyLockCommand; table: string; concurrently: boolean }
  | { kind: 'truncate'; table: string; cascade: boolean }
  | { kind: 'alter-enum'; type: string; action: 'add-value' | 'rename-value'; value: string; positioned: boolean }
  | { kind: 'mysql-table-options'; table: string; algorithm?: string; lock?: string }
  | { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' }
  | { kind: 'drop-database'; name: string }
  | { kind: 'drop-schema'; schema: string; cascade: boolean }
  | { kind: 'set-schema'; table: string; to: string }
  | { kind: 'create-trigger'; table: string; trigger: string }
  | { kind: 'disable-trigger'; table: string; all: boolean }
  | { kind: 'domain-constraint'; domain: string; action: 'create' | 'add'; notValid: boolean }
  | { kind: 'other'; statement: string };

export type OperationKind = OperationBody['kind'];

/** The operation of one kind, for rules that look at a single kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** Narrows a list of operations to one kind. */
export function operationsOf<K extends OperationKind>(operations: readonly Operation[], kind: K): OperationOf<K>[] {
  return operations.filter((op): op is OperationOf<K> => op.kind === kind);
}
