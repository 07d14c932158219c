import type { JsonValue, ParsedStatement } from '../sql/parsed-statement.js';
import { asArray, asObject, asString, at, nodeType } from '../sql/json-node.js';
import type { ConstraintKind, DefaultKind, Operation, OperationBody } from './operation.js';

/**
 * Turns libpg-query statements into operations. Statements no rule cares about become `other`,
 * never an error: the parser already proved the SQL valid.
 */
export function postgresOperations(statements: readonly ParsedStatement[]): Operation[] {
  return statements.flatMap((statement) =>
    bodiesOf(statement.ast).map((body) => ({ ...body, sql: statement.sql, location: { line: statement.line, column: statement.column } })),
  );
}

type Handler = (node: JsonValue) => OperationBody[];

// One entry per statement type rules look at; adding support for a statement adds an entry here.
const handlers: Record<string, Handler> = {
  AlterTableStmt: alterTable,
  RenameStmt: (n) => {
    const table = relation(at(n, 'relation'));
    const newname = asString(at(n, 'newname')) ?? '';
    switch (asString(at(n, 'renameType'))) {
      case 'OBJECT_COLUMN':
        return [{ kind: 'rename-column', table, column: asString(at(n, 'subname')) ?? '', to: newname }];
      case 'OBJECT_TABLE':
        return [{ kind: 'rename-table', table, to: newname }];
      default:
        return [{ kind: 'other', statement: 'RENAME' }];
    }
  },
  IndexStmt: (n) => [
    {
      kind: 'create-index',
      table: relation(at(n, 'relation')),
      index: asString(at(n, 'idxname')) ?? '(unnamed)',
      concurrently: at(n, 'concurrent') === true,
      unique: at(n, 'unique') === true,
      columns: [...asArray(at(n, 'indexParams')), ...asArray(at(n, 'indexIncludingParams'))].flatMap((p) => {
        const name = asString(at(p, 'IndexElem', 'name'));
        return name === undefined ? [] : [name];
      }),
    },
  ],
  DropStmt: (n) => {
    const names = asArray(at(n, 'objects')).map(qualifiedName);
    switch (asString(at(n, 'removeType'))) {
      case 'OBJECT_TABLE':
        return names.map((table) => ({ kind: 'drop-table', table }));
      case 'OBJECT_INDEX':
        return names.map((index) => ({ kind: 'drop-index', index, concurrently: at(n, 'concurrent') === true }));
      case 'OBJECT_SCHEMA':
        return asArray(at(n, 'objects')).map((o) => ({
          kind: 'drop-schema',
          schema: asString(at(o, 'String', 'sval')) ?? qualifiedName(o),
          cascade: asString(at(n, 'behavior')) === 'DROP_CASCADE',
        }));
      default:
        return [{ kind: 'other', statement: 'DROP' }];
    }
  },
  CreateStmt: (n) => [
    {
      kind: 'create-table',
      table: relation(at(n, 'relation')),
      columns: asArray(at(n, 'tableElts')).flatMap((element) => {
        const def = at(element, 'ColumnDef');
        return def === undefined ? [] : [{ name: asString(at(def, 'colname')) ?? '', type: typeName(at(def, 'typeName')) }];
      }),
      columnsListed:
        !asArray(at(n, 'tableElts')).some((element) => at(element, 'TableLikeClause') !== undefined) &&
        asArray(at(n, 'inhRelations')).length === 0 &&
        at(n, 'partbound') === undefined &&
        at(n, 'ofTypename') === undefined,
    },
  ],
  UpdateStmt: (n) => [
    {
      kind: 'dml',
      verb: 'update',
      table: relation(at(n, 'relation')),
      hasWhere: at(n, 'whereClause') !== undefined,
      // `SET a[1] = ...` and `SET a.f = ...` name a column too, but are left out rather than guessed at.
      setColumns: asArray(at(n, 'targetList')).flatMap((t) => {
        const name = asString(at(t, 'ResTarget', 'name'));
        return name === undefined || at(t, 'ResTarget', 'indirection') !== undefined ? [] : [name];
      }),
    },
  ],
  DeleteStmt: (n) => [{ kind: 'dml', verb: 'delete', table: relation(at(n, 'relation')), hasWhere: at(n, 'whereClause') !== undefined }],
  // An INSERT ... SELECT copies rows like a backfill; a plain VALUES insert is seed data.
  InsertStmt: (n) =>
    at(n, 'selectStmt', 'SelectStmt', 'valuesLists') !== undefined
      ? [{ kind: 'other', statement: 'INSERT VALUES' }]
      : [
          {
            kind: 'dml',
            verb: 'insert',
            table: relation(at(n, 'relation')),
            hasWhere: at(n, 'selectStmt', 'SelectStmt', 'whereClause') !== undefined,
          },
        ],
  LockStmt: (n) => asArray(at(n, 'relations')).map((r) => ({ kind: 'lock-table', table: relation(at(r, 'RangeVar')) })),
  VacuumStmt: (n) => {
    const full = asArray(at(n, 'options')).some((o) => asString(at(o, 'DefElem', 'defname')) === 'full');
    if (!full) return [{ kind: 'other', statement: 'VACUUM' }];
    const rels = asArray(at(n, 'rels')).map((r) => relation(at(r, 'VacuumRelation', 'relation')));
    return (rels.length > 0 ? rels : ['(all tables)']).map((table) => ({
      kind: 'rewrite-table',
      command: 'VACUUM FULL',
      table,
      concurrently: false,
    }));
  },
  ClusterStmt: (n) => [{ kind: 'rewrite-table', command: 'CLUSTER', table: relation(at(n, 'relation')), concurrently: false }],
  ReindexStmt: (n) => [
    {
      kind: 'rewrite-table',
      command: 'REINDEX',
      table: at(n, 'relation') === undefined ? (asString(at(n, 'name')) ?? '') : relation(at(n, 'relation')),
      concurrently: asArray(at(n, 'params')).some((o) => asString(at(o, 'DefElem', 'defname')) === 'concurrently'),
    },
  ],
  RefreshMatViewStmt: (n) => [
    {
      kind: 'rewrite-table',
      command: 'REFRESH MATERIALIZED VIEW',
      table: relation(at(n, 'relation')),
      concurrently: at(n, 'concurrent') === true,
    },
  ],
  TruncateStmt: (n) =>
    asArray(at(n, 'relations')).map((r) => ({
      kind: 'truncate',
      table: relation(at(r, 'RangeVar')),
      cascade: asString(at(n, 'behavior')) === 'DROP_CASCADE',
    })),
  AlterEnumStmt: (n) => {
    const type = asArray(at(n, 'typeName'))
      .map((s) => asString(at(s, 'String', 'sval')))
      .join('.');
    const renamed = asString(at(n, 'oldVal'));
    return [
      renamed === undefined
        ? {
            kind: 'alter-enum',
            type,
            action: 'add-value',
            value: asString(at(n, 'newVal')) ?? '',
            positioned: at(n, 'newValNeighbor') !== undefined,
          }
        : { kind: 'alter-enum', type, action: 'rename-value', value: renamed, positioned: false },
    ];
  },
  DropdbStmt: (n) => [{ kind: 'drop-database', name: asString(at(n, 'dbname')) ?? '' }],
  AlterObjectSchemaStmt: (n) =>
    asString(at(n, 'objectType')) === 'OBJECT_TABLE'
      ? [{ kind: 'set-schema', table: relation(at(n, 'relation')), to: asString(at(n, 'newschema')) ?? '' }]
      : [{ kind: 'other', statement: 'SET SCHEMA' }],
  CreateTrigStmt: (n) => [{ kind: 'create-trigger', table: relation(at(n, 'relation')), trigger: asString(at(n, 'trigname')) ?? '' }],
  CreateDomainStmt: (n) =>
    asArray(at(n, 'constraints')).some((c) => asString(at(c, 'Constraint', 'contype')) === 'CONSTR_CHECK')
      ? [
          {
            kind: 'domain-constraint',
            domain: asArray(at(n, 'domainname'))
              .map((x) => asString(at(x, 'String', 'sval')))
              .join('.'),
            action: 'create',
            notValid: false,
          },
        ]
      : [{ kind: 'other', statement: 'CREATE DOMAIN' }],
  AlterDomainStmt: (n) =>
    asString(at(n, 'subtype')) === 'C'
      ? [
          {
            kind: 'domain-constraint',
            domain: asArray(at(n, 'typeName'))
              .map((x) => asString(at(x, 'String', 'sval')))
              .join('.'),
            action: 'add',
            notValid: at(n, 'def', 'Constraint', 'skip_validation') === true,
          },
        ]
      : [{ kind: 'other', statement: 'ALTER DOMAIN' }],
  TransactionStmt: (n) => {
    const kind = asString(at(n, 'kind')) ?? '';
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return [{ kind: 'transaction', action: 'begin' }];
    if (kind === 'TRANS_STMT_COMMIT') return [{ kind: 'transaction', action: 'commit' }];
    if (kind === 'TRANS_STMT_ROLLBACK') return [{ kind: 'transaction', action: 'rollback' }];
    return [{ kind: 'other', statement: kind }];
  },
};

function bodiesOf(ast: JsonValue): OperationBody[] {
  const type = nodeType(ast) ?? 'unknown';
  const handler = handlers[type];
  const node = asObject(ast)?.[type];
  return handler === undefined || node === undefined ? [{ kind: 'other', statement: type }] : handler(node);
}

function alterTable(n: JsonValue): OperationBody[] {
  const table = relation(at(n, 'relation'));
  if (asString(at(n, 'objtype')) !== 'OBJECT_TABLE') return [{ kind: 'other', statement: 'ALTER' }];
  return asArray(at(n, 'cmds')).flatMap((cmdNode): OperationBody | OperationBody[] => {
    const cmd = at(cmdNode, 'AlterTableCmd');
    const column = asString(at(cmd, 'name')) ?? '';
    switch (asString(at(cmd, 'subtype'))) {
      case 'AT_AddColumn':
        return [addColumn(table, at(cmd, 'def', 'ColumnDef')), ...inlineConstraints(table, at(cmd, 'def', 'ColumnDef'))];
      case 'AT_DropColumn':
        return { kind: 'drop-column', table, column };
      case 'AT_AlterColumnType':
        return { kind: 'alter-column-type', table, column, type: typeName(at(cmd, 'def', 'ColumnDef', 'typeName')) };
      case 'AT_SetNotNull':
        return { kind: 'set-not-null', table, column };
      case 'AT_DropNotNull':
        return { kind: 'drop-not-null', table, column };
      case 'AT_AddConstraint':
        return addConstraint(table, at(cmd, 'def', 'Constraint'));
      case 'AT_SetLogged':
        return { kind: 'rewrite-table', command: 'SET LOGGED', table, concurrently: false };
      case 'AT_SetUnLogged':
        return { kind: 'rewrite-table', command: 'SET UNLOGGED', table, concurrently: false };
      case 'AT_DetachPartition':
        return {
          kind: 'rewrite-table',
          command: 'DETACH PARTITION',
          table,
          concurrently: at(cmd, 'def', 'PartitionCmd', 'concurrent') === true,
        };
      case 'AT_DisableTrig':
      case 'AT_DisableTrigAll':
      case 'AT_DisableTrigUser':
        return { kind: 'disable-trigger', table, all: asString(at(cmd, 'subtype')) !== 'AT_DisableTrig' };
      case 'AT_ValidateConstraint':
        return { kind: 'validate-constraint', table, constraint: column };
      case 'AT_DropConstraint':
        return { kind: 'drop-constraint', table, constraint: column };
      default:
        return { kind: 'other', statement: asString(at(cmd, 'subtype')) ?? 'ALTER TABLE' };
    }
  });
}

const serialTypes = new Set(['serial', 'serial4', 'serial8', 'bigserial', 'smallserial', 'serial2']);
// Functions evaluated once per statement (stable or immutable): PostgreSQL 11+ stores their value
// as a "fast default" without rewriting the table. Anything else is treated as volatile.
const nonVolatileFunctions = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'to_jsonb',
  'jsonb_build_object',
  'json_build_object',
  'array',
  'make_interval',
]);

function addColumn(table: string, def: JsonValue | undefined): OperationBody {
  const constraints = asArray(at(def, 'constraints')).map((c) => at(c, 'Constraint'));
  const type = typeName(at(def, 'typeName'));
  const defaultExpr = constraints.find((c) => asString(at(c, 'contype')) === 'CONSTR_DEFAULT');
  const generated = constraints.find((c) => asString(at(c, 'contype')) === 'CONSTR_GENERATED');
  const identity = constraints.some((c) => asString(at(c, 'contype')) === 'CONSTR_IDENTITY');
  let defaultKind: DefaultKind = 'none';
  if (defaultExpr !== undefined) defaultKind = isVolatile(at(defaultExpr, 'raw_expr')) ? 'volatile' : 'constant';
  return {
    kind: 'add-column',
    table,
    column: asString(at(def, 'colname')) ?? '',
    type,
    notNull: constraints.some((c) => ['CONSTR_NOTNULL', 'CONSTR_PRIMARY'].includes(asString(at(c, 'contype')) ?? '')),
    default: defaultKind,
    generatedStored: generated !== undefined,
    serial: serialTypes.has(type) || identity,
  };
}

/**
 * `ADD COLUMN c int UNIQUE / PRIMARY KEY / REFERENCES t / CHECK (...)` adds a constraint too, with
 * the same locking as a separate ADD CONSTRAINT (and no NOT VALID form).
 */
function inlineConstraints(table: string, def: JsonValue | undefined): OperationBody[] {
  const column = asString(at(def, 'colname')) ?? '';
  return asArray(at(def, 'constraints')).flatMap((c): OperationBody[] => {
    const constraint = at(c, 'Constraint');
    const type = constraintKinds[asString(at(constraint, 'contype')) ?? ''];
    if (type === undefined) return [];
    return [
      {
        kind: 'add-constraint',
        table,
        constraint: asString(at(constraint, 'conname')) ?? `${column} ${type}`,
        type,
        notValid: false,
        usingIndex: false,
      },
    ];
  });
}

function isVolatile(expr: JsonValue | undefined): boolean {
  if (expr === undefined || expr === null || typeof expr !== 'object') return false;
  if (Array.isArray(expr)) return expr.some(isVolatile);
  const call = asObject(expr)?.['FuncCall'];
  if (call !== undefined) {
    const name =
      asArray(at(call, 'funcname'))
        .map((s) => asString(at(s, 'String', 'sval')))
        .pop() ?? '';
    if (!nonVolatileFunctions.has(name.toLowerCase())) return true;
  }
  return Object.values(expr).some(isVolatile);
}

const constraintKinds: Record<string, ConstraintKind> = {
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclude',
};

function addConstraint(table: string, def: JsonValue | undefined): OperationBody {
  const type = constraintKinds[asString(at(def, 'contype')) ?? ''];
  if (type === undefined) return { kind: 'other', statement: 'ADD CONSTRAINT' };
  return {
    kind: 'add-constraint',
    table,
    constraint: asString(at(def, 'conname')) ?? '(unnamed)',
    type,
    notValid: at(def, 'skip_validation') === true,
    usingIndex: at(def, 'indexname') !== undefined,
    ...(type === 'check' ? notNullColumnOf(at(def, 'raw_expr')) : {}),
  };
}

/** `CHECK (col IS NOT NULL)`, exactly (a bare column, no AND/OR): `{ notNullColumn: 'col' }`. */
function notNullColumnOf(expr: JsonValue | undefined): { notNullColumn?: string } {
  if (asString(at(expr, 'NullTest', 'nulltesttype')) !== 'IS_NOT_NULL') return {};
  const fields = asArray(at(expr, 'NullTest', 'arg', 'ColumnRef', 'fields'));
  const name = fields.length === 1 ? asString(at(fields[0], 'String', 'sval')) : undefined;
  return name === undefined ? {} : { notNullColumn: name };
}

function relation(node: JsonValue | undefined): string {
  const name = asString(at(node, 'relname')) ?? '';
  const schema = asString(at(node, 'schemaname'));
  return schema === undefined ? name : `${schema}.${name}`;
}

function qualifiedName(list: JsonValue): string {
  return asArray(at(list, 'List', 'items'))
    .map((s) => asString(at(s, 'String', 'sval')))
    .join('.');
}

/** `varchar(20)`, `bpchar(3)`, `numeric(10,2)`, `timestamp`: the catalog name, with its modifiers. */
function typeName(node: JsonValue | undefined): string {
  const names = asArray(at(node, 'names')).map((s) => asString(at(s, 'String', 'sval')) ?? '');
  const last = names[names.length - 1] ?? '';
  const base = names.length > 1 && names[0] === 'pg_catalog' ? last : names.join('.');
  const mods = asArray(at(node, 'typmods'))
    .map((m) => at(m, 'A_Const', 'ival', 'ival'))
    .filter((v): v is number => typeof v === 'number');
  return mods.length > 0 ? `${base}(${mods.join(',')})` : base;
}
