import type { JsonValue, ParsedStatement } from '../sql/parsed-statement.js';
import { asArray, asString, at } from '../sql/json-node.js';
import type { ConstraintKind, DefaultKind, Operation, OperationBody, RestatedColumn } from './operation.js';

/**
 * Turns node-sql-parser (MySQL/MariaDB) statements into operations. InnoDB builds secondary
 * indexes online (ALGORITHM=INPLACE, LOCK=NONE) by default, so its CREATE INDEX counts as
 * `concurrently`.
 */
export function mysqlOperations(statements: readonly ParsedStatement[]): Operation[] {
  return statements.flatMap((statement) =>
    bodiesOf(statement.ast).map((body) => ({ ...body, sql: statement.sql, location: { line: statement.line, column: statement.column } })),
  );
}

type Handler = (node: JsonValue) => OperationBody[];

const handlers: Record<string, Handler> = {
  alter: alterTable,
  create: (n) => {
    const keyword = asString(at(n, 'keyword'));
    if (keyword === 'index') {
      const table = tableName(at(n, 'table'));
      const bodies: OperationBody[] = [
        {
          kind: 'create-index',
          table,
          index: asString(at(n, 'index')) ?? '(unnamed)',
          concurrently: true,
          unique: asString(at(n, 'index_type')) === 'unique',
          columns: plainColumns(at(n, 'index_columns')),
        },
      ];
      const algorithm = asString(at(n, 'algorithm_option', 'algorithm'))?.toUpperCase();
      const lock = asString(at(n, 'lock_option', 'lock'))?.toUpperCase();
      if (algorithm !== undefined || lock !== undefined) {
        bodies.push({
          kind: 'mysql-table-options',
          table,
          ...(algorithm === undefined ? {} : { algorithm }),
          ...(lock === undefined ? {} : { lock }),
        });
      }
      return bodies;
    }
    if (keyword !== 'table') return [{ kind: 'other', statement: `CREATE ${keyword ?? ''}` }];
    return [
      {
        kind: 'create-table',
        table: tableName(at(n, 'table', 0)),
        columns: asArray(at(n, 'create_definitions'))
          .filter((d) => asString(at(d, 'resource')) === 'column')
          .map((d) => ({ name: columnName(at(d, 'column')), type: dataType(d) })),
        columnsListed: at(n, 'like') == null && at(n, 'query_expr') == null,
      },
    ];
  },
  drop: (n) => {
    const keyword = asString(at(n, 'keyword'));
    if (keyword === 'table') return asArray(at(n, 'name')).map((t) => ({ kind: 'drop-table', table: tableName(t) }));
    if (keyword === 'index') return [{ kind: 'drop-index', index: columnName(at(n, 'name')), concurrently: true }];
    // In MySQL/MariaDB a schema is a database.
    if (keyword === 'database' || keyword === 'schema') return [{ kind: 'drop-database', name: asString(at(n, 'name')) ?? '' }];
    return [{ kind: 'other', statement: `DROP ${keyword ?? ''}` }];
  },
  rename: (n) =>
    asArray(at(n, 'table')).map((pair) => ({ kind: 'rename-table', table: tableName(at(pair, 0)), to: tableName(at(pair, 1)) })),
  update: (n) => [
    {
      kind: 'dml',
      verb: 'update',
      table: tableName(at(n, 'table', 0)),
      hasWhere: isPresent(at(n, 'where')),
      ...updatedColumns(n),
    },
  ],
  delete: (n) => [{ kind: 'dml', verb: 'delete', table: tableName(at(n, 'from', 0)), hasWhere: isPresent(at(n, 'where')) }],
  insert: (n) =>
    asString(at(n, 'values', 'type')) === 'select'
      ? [{ kind: 'dml', verb: 'insert', table: tableName(at(n, 'table', 0)), hasWhere: isPresent(at(n, 'values', 'where')) }]
      : [{ kind: 'other', statement: 'INSERT VALUES' }],
  truncate: (n) => asArray(at(n, 'name')).map((t) => ({ kind: 'truncate', table: tableName(t), cascade: false })),
  lock: (n) => asArray(at(n, 'tables')).map((t) => ({ kind: 'lock-table', table: tableName(at(t, 'table')) })),
  transaction: (n) => {
    const action = (asString(at(n, 'expr', 'action', 'value')) ?? '').toLowerCase();
    if (action === 'begin' || action === 'start') return [{ kind: 'transaction', action: 'begin' }];
    if (action === 'commit') return [{ kind: 'transaction', action: 'commit' }];
    if (action === 'rollback') return [{ kind: 'transaction', action: 'rollback' }];
    return [{ kind: 'other', statement: 'TRANSACTION' }];
  },
};

function bodiesOf(ast: JsonValue): OperationBody[] {
  const type = asString(at(ast, 'type')) ?? 'unknown';
  const handler = handlers[type];
  return handler === undefined ? [{ kind: 'other', statement: type }] : handler(ast);
}

function alterTable(n: JsonValue): OperationBody[] {
  const table = tableName(at(n, 'table', 0));
  const options: { algorithm?: string; lock?: string } = {};
  const bodies = asArray(at(n, 'expr')).flatMap((expr): OperationBody[] => {
    const action = asString(at(expr, 'action'));
    const resource = asString(at(expr, 'resource'));
    const column = columnName(at(expr, 'column'));
    if (resource === 'algorithm') options.algorithm = (asString(at(expr, 'algorithm')) ?? '').toUpperCase();
    else if (resource === 'lock') options.lock = (asString(at(expr, 'lock')) ?? '').toUpperCase();
    else if (resource === 'column' && action === 'add') return [addColumn(table, column, expr)];
    else if (resource === 'column' && action === 'drop') return [{ kind: 'drop-column', table, column }];
    else if (resource === 'column' && action === 'rename')
      return [{ kind: 'rename-column', table, column: columnName(at(expr, 'old_column')), to: column }];
    else if (resource === 'column' && action === 'modify')
      return [{ kind: 'alter-column-type', table, column, type: dataType(expr), restated: restatedColumn(expr) }];
    else if (resource === 'column' && action === 'change') {
      // CHANGE old new TYPE always restates the type, and renames when the names differ.
      const old = columnName(at(expr, 'old_column'));
      const type: OperationBody = { kind: 'alter-column-type', table, column: old, type: dataType(expr), restated: restatedColumn(expr) };
      return old === column ? [type] : [{ kind: 'rename-column', table, column: old, to: column }, type];
    } else if (resource === 'table' && action === 'rename') return [{ kind: 'rename-table', table, to: asString(at(expr, 'table')) ?? '' }];
    else if (resource === 'index' && action === 'add')
      return [
        {
          kind: 'create-index',
          table,
          index: asString(at(expr, 'index')) ?? '(unnamed)',
          concurrently: true,
          unique: false,
          columns: plainColumns(at(expr, 'definition')),
        },
      ];
    else if (resource === 'index' && action === 'drop')
      return [{ kind: 'drop-index', index: asString(at(expr, 'index')) ?? '', concurrently: true }];
    else if (resource === 'constraint' && action === 'add') return [addConstraint(table, at(expr, 'create_definitions'))];
    else return [{ kind: 'other', statement: `ALTER TABLE ${action ?? ''} ${resource ?? ''}`.trim() }];
    return [];
  });
  if (options.algorithm !== undefined || options.lock !== undefined) bodies.push({ kind: 'mysql-table-options', table, ...options });
  return bodies;
}

function addColumn(table: string, column: string, expr: JsonValue): OperationBody {
  const defaultValue = at(expr, 'default_val', 'value');
  let defaultKind: DefaultKind = 'none';
  if (defaultValue !== undefined) defaultKind = isExpressionDefault(defaultValue) ? 'volatile' : 'constant';
  return {
    kind: 'add-column',
    table,
    column,
    type: dataType(expr),
    notNull: asString(at(expr, 'nullable', 'type')) === 'not null',
    default: defaultKind,
    generatedStored: (asString(at(expr, 'generated', 'storage_type')) ?? '').toLowerCase() === 'stored',
    serial: isPresent(at(expr, 'auto_increment')),
  };
}

// Timestamp defaults are literal-like for InnoDB (no rebuild); other function or expression
// defaults are evaluated per row and force a table rebuild.
const literalLikeFunctions = new Set(['CURRENT_TIMESTAMP', 'NOW', 'LOCALTIMESTAMP', 'LOCALTIME']);

function isExpressionDefault(value: JsonValue): boolean {
  const type = asString(at(value, 'type'));
  if (type !== 'function') return type === 'binary_expr' || type === 'expr' || at(value, 'parentheses') === true;
  const name = asString(at(value, 'name', 'name', 0, 'value')) ?? '';
  return !literalLikeFunctions.has(name.toUpperCase());
}

const constraintKinds: Record<string, ConstraintKind> = {
  'foreign key': 'foreign-key',
  'primary key': 'primary-key',
  unique: 'unique',
  'unique index': 'unique',
  'unique key': 'unique',
  check: 'check',
};

function addConstraint(table: string, def: JsonValue | undefined): OperationBody {
  const type = constraintKinds[(asString(at(def, 'constraint_type')) ?? '').toLowerCase()];
  if (type === undefined) return { kind: 'other', statement: 'ADD CONSTRAINT' };
  const name = asString(at(def, 'constraint')) ?? asString(at(def, 'index')) ?? '(unnamed)';
  return { kind: 'add-constraint', table, constraint: name, type, notValid: false, usingIndex: false };
}

function tableName(node: JsonValue | undefined): string {
  const table = asString(at(node, 'table')) ?? '';
  const db = asString(at(node, 'db'));
  return db === undefined ? table : `${db}.${table}`;
}

function columnName(node: JsonValue | undefined): string {
  const column = at(node, 'column');
  return asString(column) ?? asString(at(column, 'expr', 'value')) ?? '';
}

function dataType(node: JsonValue): string {
  return (asString(at(node, 'definition', 'dataType')) ?? '').toLowerCase();
}

/** The column_ref entries of an index's column list (`b(10)` included); functions and expressions are left out. */
function plainColumns(list: JsonValue | undefined): string[] {
  return asArray(list).flatMap((c) => {
    const name = asString(at(c, 'type')) === 'column_ref' ? asString(at(c, 'column')) : undefined;
    return name === undefined ? [] : [name];
  });
}

/**
 * The columns a single-table UPDATE assigns. A multi-table UPDATE (a JOIN) may SET another
 * table's columns, and a qualifier the parser leaves unresolved could name one: both give none.
 */
function updatedColumns(n: JsonValue): { setColumns?: string[] } {
  const tables = asArray(at(n, 'table'));
  if (tables.length !== 1) return {};
  const own = [asString(at(tables[0], 'table')), asString(at(tables[0], 'as'))].filter((x): x is string => x !== undefined);
  const set = asArray(at(n, 'set'));
  const certain = set.every((item) => {
    const qualifier = at(item, 'table');
    const ownQualifier = qualifier === null || qualifier === undefined || own.includes(asString(qualifier) ?? '');
    return ownQualifier && typeof at(item, 'column') === 'string';
  });
  return certain ? { setColumns: set.map((item) => asString(at(item, 'column')) ?? '') } : {};
}

function restatedColumn(expr: JsonValue): RestatedColumn {
  const length = at(expr, 'definition', 'length');
  return {
    length: typeof length === 'number' ? length : undefined,
    characterSet: asString(at(expr, 'character_set', 'value', 'value'))?.toLowerCase(),
    collation: asString(at(expr, 'collate', 'collate', 'name'))?.toLowerCase(),
    notNull: asString(at(expr, 'nullable', 'type')) === 'not null',
    default: defaultSpelling(at(expr, 'default_val', 'value')),
  };
}

/** A DEFAULT as information_schema.COLUMNS spells it, for the literals that can be compared. */
function defaultSpelling(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'none';
  const type = asString(at(value, 'type'));
  const literal = at(value, 'value');
  if (type === 'null') return 'none';
  if (type === 'number' && typeof literal === 'number') return String(literal);
  if (type === 'single_quote_string' && typeof literal === 'string' && !/['\\]/.test(literal)) return `'${literal}'`;
  return 'unread';
}

function isPresent(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null;
}
