/** A column as the server describes it. `type` is the server's own spelling (format_type / COLUMN_TYPE). */
export interface LiveColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** MySQL/MariaDB character columns: the character set, collation and maximum length in bytes. */
  characters?: { set: string; collation: string; maxBytes: number };
  /** MySQL/MariaDB: the default as information_schema spells it (`'x'`, `0`), null when there is none. */
  default?: string | null;
}

/** An index; `valid` is false for a PostgreSQL index left INVALID by an interrupted CONCURRENTLY build. */
export interface LiveIndex {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  valid: boolean;
  /** The DDL that recreates it (pg_get_indexdef), when the server can say. */
  definition: string | null;
}

/** A table constraint; `validated` is false for NOT VALID constraints. */
export interface LiveConstraint {
  name: string;
  kind: 'primary-key' | 'unique' | 'foreign-key' | 'check' | 'exclude';
  validated: boolean;
  /** The constraint as the server spells it (pg_get_constraintdef: `CHECK ((email IS NOT NULL))`); null when it cannot say. */
  definition: string | null;
}

/** One base table of the live database, with the figures rules judge it by. */
export interface LiveTable {
  name: string;
  /** The planner's row estimate (reltuples / TABLE_ROWS); exact counts would scan the table. */
  rowEstimate: number;
  /** Heap + indexes + TOAST, in bytes. */
  totalBytes: number;
  columns: LiveColumn[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  indexes: LiveIndex[];
  constraints: LiveConstraint[];
  /** MySQL/MariaDB: the storage engine and the table's default collation (what a column without COLLATE gets). */
  storage?: { engine: string; defaultCollation: string };
}

/** The live schema of the database a URL points at (the current schema on PostgreSQL). */
export interface LiveSchema {
  dialect: 'postgres' | 'mysql';
  serverVersion: number;
  tables: LiveTable[];
  /** Views, materialized views, foreign tables, sequences, indexes of the schema: named, not described. */
  otherRelations: string[];
}

/** The table named `name` (case-insensitive, as unquoted SQL identifiers are), if it exists. */
export function findTable(schema: LiveSchema, name: string): LiveTable | undefined {
  const wanted = name.toLowerCase();
  return schema.tables.find((t) => t.name.toLowerCase() === wanted);
}
