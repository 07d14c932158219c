import type { LiveSchema } from '../../db/schema/live-schema.js';
import type { Operation } from './operation.js';
import type { SourcePosition } from '../sql/source-position.js';
import { bareName } from './find-live-table.js';
import { notNullColumnOfCheck } from './not-null-check.js';

/** A pending migration's statement that the live schema contradicts. */
export interface SchemaMismatch {
  message: string;
  hint: string;
  location: SourcePosition;
}

/** A CHECK (col IS NOT NULL) as it stands at some point of the replay. */
export interface NotNullCheck {
  name: string;
  /** False while NOT VALID: it proves nothing about the rows already there. */
  validated: boolean;
}

/** What rules may ask of the schema as it is when a pending migration runs (earlier pending ones replayed). */
export interface ReplayedSchema {
  /** The CHECK constraints of `table` that are exactly `column IS NOT NULL`; empty for a table not judged. */
  notNullChecks(table: string, column: string): NotNullCheck[];
}

interface ReplayConstraint {
  validated: boolean;
  /** Lower-cased; set when the constraint is a CHECK (column IS NOT NULL). */
  notNullColumn: string | undefined;
}

interface ReplayTable {
  columns: Set<string>;
  /** False for a table created with LIKE, INHERITS, PARTITION OF, AS SELECT...: `columns` is partial, so never judged. */
  columnsKnown: boolean;
  /** Index names on this table (valid ones: an INVALID leftover is an index repair, not a clash). */
  indexes: Set<string>;
  constraints: Map<string, ReplayConstraint>;
}

// IF [NOT] EXISTS makes a statement tolerate the object's presence or absence. It is read from
// the statement's text, so one guarded action spares the whole ALTER TABLE: never a false error.
const guard = /\bIF\s+(NOT\s+)?EXISTS\b/i;

/**
 * Replays pending migrations, in order, over the live schema and reports each statement that
 * would fail on it: a table or column altered, dropped or renamed that does not exist (and no
 * earlier pending migration creates), a table, column or index added that already exists, a
 * dropped index or validated constraint that does not exist. Names qualified with a schema other
 * than `public` are not judged: the live schema holds the current schema only.
 */
export class SchemaReplay implements ReplayedSchema {
  readonly #dialect: LiveSchema['dialect'];
  readonly #tables = new Map<string, ReplayTable>();
  /** Views, materialized views, foreign tables, sequences, indexes: they exist, undescribed. */
  readonly #others = new Set<string>();

  constructor(schema: LiveSchema) {
    this.#dialect = schema.dialect;
    for (const name of schema.otherRelations) this.#others.add(name.toLowerCase());
    for (const t of schema.tables) {
      this.#tables.set(t.name.toLowerCase(), {
        columns: new Set(t.columns.map((c) => c.name.toLowerCase())),
        columnsKnown: true,
        indexes: new Set(t.indexes.filter((i) => i.valid).map((i) => i.name.toLowerCase())),
        constraints: new Map(
          t.constraints.map((c) => [
            c.name.toLowerCase(),
            {
              validated: c.validated,
              notNullColumn:
                c.kind === 'check' && c.definition !== null && schema.dialect === 'postgres'
                  ? notNullColumnOfCheck(c.definition)?.toLowerCase()
                  : undefined,
            },
          ]),
        ),
      });
    }
  }

  notNullChecks(table: string, column: string): NotNullCheck[] {
    if (!this.#judged(table)) return [];
    const wanted = column.toLowerCase();
    return [...(this.#table(table)?.constraints ?? new Map<string, ReplayConstraint>())]
      .filter(([, c]) => c.notNullColumn === wanted)
      .map(([name, c]) => ({ name, validated: c.validated }));
  }

  /** Applies one migration's operations; returns what contradicts the schema at that point. */
  apply(operations: readonly Operation[]): SchemaMismatch[] {
    const found: SchemaMismatch[] = [];
    for (const statement of statementsOf(operations)) {
      const guarded = guard.test(statement[0]?.sql ?? '');
      const before = found.length;
      for (const op of statement) {
        // DROP CONSTRAINT IF EXISTS is not judged either way, but what it drops must be forgotten.
        const problem = guarded && op.kind !== 'drop-constraint' ? undefined : this.#step(op);
        if (problem !== undefined) found.push({ ...problem, location: op.location });
      }
      // An index's columns are those of the table the whole statement leaves (MySQL's
      // ALTER TABLE t ADD INDEX (x), ADD COLUMN x int is valid), and a statement already found
      // wrong is not reported twice.
      if (guarded || found.length > before) continue;
      for (const index of statement) {
        if (index.kind !== 'create-index' || !this.#judged(index.table)) continue;
        const table = this.#table(index.table);
        const missing = table === undefined ? [] : this.#missingColumns(table, index.columns);
        if (table === undefined || missing.length === 0) continue;
        found.push({ ...missingColumns('indexes', index.table, missing, table), location: index.location });
        // The server refuses it: the index does not come to exist.
        table.indexes.delete(index.index.toLowerCase());
      }
    }
    return found;
  }

  #step(op: Operation): Omit<SchemaMismatch, 'location'> | undefined {
    switch (op.kind) {
      case 'create-table': {
        if (!this.#judged(op.table)) return undefined;
        if (this.#table(op.table) || this.#others.has(bareName(op.table)))
          return clash(
            `creates table ${op.table}, which already exists`,
            `Drop the CREATE TABLE (the table is there), or use CREATE TABLE IF NOT EXISTS if the migration must be re-runnable.`,
          );
        this.#tables.set(bareName(op.table), {
          columns: new Set(op.columns.map((c) => c.name.toLowerCase())),
          columnsKnown: op.columnsListed,
          indexes: new Set(),
          constraints: new Map(),
        });
        return undefined;
      }
      case 'drop-table':
        return this.#needTable(op.table, 'drops', () => this.#tables.delete(bareName(op.table)));
      case 'set-schema':
        return this.#needTable(op.table, 'moves', () => this.#tables.delete(bareName(op.table)));
      case 'rename-table':
        return this.#needTable(op.table, 'renames', (table) => {
          if (this.#table(op.to))
            return clash(
              `renames ${op.table} to ${op.to}, but table ${op.to} already exists`,
              'Pick a free name, or drop the other table first.',
            );
          this.#tables.delete(bareName(op.table));
          this.#tables.set(bareName(op.to), table);
          return undefined;
        });
      case 'add-column':
        return this.#needTable(op.table, 'adds a column to', (table) => {
          if (table.columns.has(op.column.toLowerCase()))
            return clash(
              `adds column ${op.table}.${op.column}, which already exists`,
              `Drop the ADD COLUMN (the column is there: was this migration applied outside baton?), or write ADD COLUMN IF NOT EXISTS.`,
            );
          table.columns.add(op.column.toLowerCase());
          return undefined;
        });
      case 'drop-column':
        return this.#needColumn(op.table, op.column, 'drops', (table) => {
          const column = op.column.toLowerCase();
          table.columns.delete(column);
          // PostgreSQL drops the constraints that name only the dropped column with it.
          for (const [name, c] of table.constraints) if (c.notNullColumn === column) table.constraints.delete(name);
          return undefined;
        });
      case 'rename-column':
        return this.#needColumn(op.table, op.column, 'renames', (table) => {
          if (table.columns.has(op.to.toLowerCase()))
            return clash(`renames ${op.table}.${op.column} to ${op.to}, but column ${op.to} already exists`, 'Pick a free name.');
          table.columns.delete(op.column.toLowerCase());
          table.columns.add(op.to.toLowerCase());
          for (const c of table.constraints.values())
            if (c.notNullColumn === op.column.toLowerCase()) c.notNullColumn = op.to.toLowerCase();
          return undefined;
        });
      case 'alter-column-type':
        return this.#needColumn(op.table, op.column, 'changes the type of', () => undefined);
      case 'set-not-null':
      case 'drop-not-null':
        return this.#needColumn(op.table, op.column, 'changes the nullability of', () => undefined);
      case 'create-index':
        return this.#needTable(op.table, 'indexes', (table) => {
          const name = op.index.toLowerCase();
          if (op.index !== '(unnamed)' && this.#indexExists(name, table))
            return clash(
              `creates index ${op.index}, which already exists`,
              `Drop the CREATE INDEX (the index is there), rename the new index, or write CREATE INDEX ${this.#dialect === 'postgres' ? 'CONCURRENTLY ' : ''}IF NOT EXISTS.`,
            );
          table.indexes.add(name);
          return undefined;
        });
      case 'drop-index': {
        const name = bareName(op.index);
        if (op.index.includes('.') && !this.#judged(op.index)) return undefined;
        const owner = [...this.#tables.values()].find((t) => t.indexes.has(name));
        // An index of a materialized view (or an INVALID one) is listed among the other relations.
        if (owner === undefined && this.#others.delete(name)) return undefined;
        if (owner === undefined)
          return clash(
            `drops index ${op.index}, which does not exist`,
            `Fix the index name (the live indexes are listed by \\di in psql / SHOW INDEX), or write DROP INDEX IF EXISTS.`,
          );
        owner.indexes.delete(name);
        return undefined;
      }
      case 'add-constraint':
        return this.#needTable(op.table, 'adds a constraint to', (table) => {
          // An unnamed constraint gets a name only the server knows: it cannot be validated or dropped by name here.
          if (op.constraint !== '(unnamed)' && !op.constraint.includes(' '))
            table.constraints.set(op.constraint.toLowerCase(), {
              validated: !op.notValid,
              notNullColumn: op.notNullColumn?.toLowerCase(),
            });
          return undefined;
        });
      case 'validate-constraint':
        return this.#needTable(op.table, 'validates a constraint of', (table) => {
          const constraint = table.constraints.get(op.constraint.toLowerCase());
          if (constraint !== undefined) {
            constraint.validated = true;
            return undefined;
          }
          return clash(
            `validates constraint ${op.constraint} on ${op.table}, which does not exist`,
            `Add it first (ADD CONSTRAINT ${op.constraint} ... NOT VALID, in an earlier migration), or fix the name.`,
          );
        });
      case 'drop-constraint':
        // Not judged (a missing one is the server's plain error, and IF EXISTS is common): only forgotten.
        if (this.#judged(op.table)) this.#table(op.table)?.constraints.delete(op.constraint.toLowerCase());
        return undefined;
      case 'dml':
        return this.#needTable(op.table, 'uses', (table) => {
          const missing = this.#missingColumns(table, op.setColumns ?? []);
          return missing.length === 0 ? undefined : missingColumns('updates', op.table, missing, table);
        });
      case 'lock-table':
      case 'truncate':
      case 'mysql-table-options':
      case 'create-trigger':
      case 'disable-trigger':
        return this.#needTable(op.table, 'uses', () => undefined);
      case 'rewrite-table':
        // REINDEX may name an index or a schema, REFRESH a view: only table commands are judged.
        if (op.command === 'REINDEX' || op.command === 'REFRESH MATERIALIZED VIEW' || op.table === '(all tables)') return undefined;
        return this.#needTable(op.table, 'rewrites', () => undefined);
      default:
        return undefined;
    }
  }

  /** Of `columns`, those `table` does not have; none when its columns are not all known. */
  #missingColumns(table: ReplayTable, columns: readonly string[]): string[] {
    return table.columnsKnown ? columns.filter((c) => !table.columns.has(c.toLowerCase())) : [];
  }

  #judged(name: string): boolean {
    const dot = name.lastIndexOf('.');
    return dot < 0 || (this.#dialect === 'postgres' && name.slice(0, dot).toLowerCase() === 'public');
  }

  #table(name: string): ReplayTable | undefined {
    return this.#tables.get(bareName(name));
  }

  #indexExists(name: string, table: ReplayTable): boolean {
    // PostgreSQL index names are unique in the schema; MySQL's only within their table.
    // An INVALID leftover is not in the table's set (the index repair rebuilds it), so it is not
    // looked for among the other relations either.
    return this.#dialect === 'postgres' ? [...this.#tables.values()].some((t) => t.indexes.has(name)) : table.indexes.has(name);
  }

  #needTable(
    name: string,
    verb: string,
    then: (table: ReplayTable) => Omit<SchemaMismatch, 'location'> | undefined | boolean,
  ): Omit<SchemaMismatch, 'location'> | undefined {
    if (!this.#judged(name)) return undefined;
    const table = this.#table(name);
    // A view, materialized view or foreign table: it exists, but its columns are not described.
    if (table === undefined && this.#others.has(bareName(name))) return undefined;
    if (table === undefined)
      return clash(
        `${verb} table ${name}, which does not exist in the live database and no earlier pending migration creates it`,
        "Check the --database URL points at this application's database, fix the table name, or add the migration that creates it.",
      );
    const result = then(table);
    return typeof result === 'object' ? result : undefined;
  }

  #needColumn(
    tableName: string,
    column: string,
    verb: string,
    then: (table: ReplayTable) => Omit<SchemaMismatch, 'location'> | undefined | boolean,
  ): Omit<SchemaMismatch, 'location'> | undefined {
    return this.#needTable(tableName, `${verb} column ${column} of`, (table) =>
      table.columns.has(column.toLowerCase()) || !table.columnsKnown ? then(table) : missingColumns(verb, tableName, [column], table),
    );
  }
}

/** Operations grouped by the statement they came from (one ALTER TABLE yields several). */
function statementsOf(operations: readonly Operation[]): Operation[][] {
  const statements: Operation[][] = [];
  for (const op of operations) {
    const last = statements.at(-1)?.[0];
    if (last !== undefined && last.location.line === op.location.line && last.location.column === op.location.column)
      statements.at(-1)?.push(op);
    else statements.push([op]);
  }
  return statements;
}

function missingColumns(verb: string, tableName: string, missing: readonly string[], table: ReplayTable): Omit<SchemaMismatch, 'location'> {
  const what =
    missing.length === 1
      ? `column ${tableName}.${missing[0]}, which does not`
      : `columns ${missing.map((c) => `${tableName}.${c}`).join(', ')}, which do not`;
  return clash(
    `${verb} ${what} exist in the live database and no earlier pending migration adds ${missing.length === 1 ? 'it' : 'them'}`,
    `Fix the column name, or add it first; the columns of ${tableName} are: ${listed([...table.columns])}.`,
  );
}

function listed(names: string[]): string {
  if (names.length === 0) return '(none)';
  return names.length > 20 ? `${names.slice(0, 20).join(', ')} and ${names.length - 20} more` : names.join(', ');
}

function clash(message: string, hint: string): Omit<SchemaMismatch, 'location'> {
  return { message, hint };
}
