import type { KeyComparison, KeyComparisonOp } from './keyset-comparison.js';
import type { LiveTable } from './schema/live-schema.js';

/** The database engines baton speaks to. MariaDB is served by the `mysql` dialect. */
export type DialectName = 'postgres' | 'mysql';

/** A result row: column name -> value as the driver returns it (numbers may arrive as strings). */
export type Row = Record<string, unknown>;

/**
 * One database session. Deliberately tiny: every dialect maps its driver onto this slice, so no
 * vendor type (pg.Client, mysql2.Connection) leaks out of db/postgres or db/mysql.
 */
export interface DbSession {
  /** Runs one statement. `params` bind positionally ($1.. for postgres, ? for mysql). */
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number }>;
  /** Server-side id of this session (pg backend pid, MariaDB CONNECTION_ID()). */
  readonly id: number;
  close(): Promise<void>;
}

/** How long a statement may wait for a lock. `short` for DDL that takes strong locks. */
export interface TimeoutProfile {
  name: 'short' | 'long';
  lockTimeoutMs: number;
  /** 0 = no statement timeout. */
  statementTimeoutMs: number;
}

/** A live session of the application, as the server lists it. */
export interface SessionInfo {
  id: number;
  /** The release the session declared (application_name / registration); null if none. */
  release: string | null;
  user: string | null;
  database: string | null;
  /** Seconds the current statement (or transaction) has been running, when known. */
  busySeconds: number | null;
}

/** Options for opening a session. */
export interface ConnectOptions {
  /** Shown by the server for this session (pg application_name). Default "baton". */
  applicationName?: string;
  /** Give up connecting after this long. Default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * Every transaction of the session is READ ONLY (postgres default_transaction_read_only,
   * MariaDB SET SESSION TRANSACTION READ ONLY): the server itself refuses a write, so a reader
   * such as `baton check --database` cannot change the database even by mistake.
   */
  readOnly?: boolean;
}

/**
 * Everything baton needs from a database engine. SQL differences live here so the migration
 * runner, backfill and backups are written once.
 */
export interface Dialect {
  readonly name: DialectName;
  /** Opens a session; an unreachable server or bad credentials throw a BatonError (DB_*). */
  connect(url: string, options?: ConnectOptions): Promise<DbSession>;
  /** The n-th (1-based) bind placeholder: $n for postgres, ? for mysql. */
  param(n: number): string;
  /** Quotes an identifier (table, column, database name). */
  quoteIdent(name: string): string;
  /** Postgres runs DDL inside transactions; MariaDB commits implicitly around DDL. */
  readonly transactionalDdl: boolean;
  /**
   * Data-modifying CTEs (`WITH b AS (UPDATE ... RETURNING 1) UPDATE checkpoint ...`): a backfill
   * batch and its checkpoint then commit as one autocommit statement, one round trip instead of
   * BEGIN / UPDATE / UPDATE / COMMIT. PostgreSQL has them; MariaDB does not.
   */
  readonly dataModifyingCte: boolean;
  /**
   * A cancelled statement's changed rows are undone one by one while their locks are still held
   * (InnoDB), instead of the transaction only being marked aborted (PostgreSQL). A backfill's
   * lock cap then leaves room for the undo (backfill/lock-cap.ts).
   */
  readonly undoHoldsLocks: boolean;
  /** Applies a timeout profile for the rest of the session (or the transaction with `local`). */
  setTimeouts(session: DbSession, profile: TimeoutProfile, scope: 'session' | 'local'): Promise<void>;
  /** True when `error` is the server saying "gave up waiting for a lock". */
  isLockTimeout(error: unknown): boolean;
  /**
   * True when `error` is the server ending a statement that ran past the session's statement
   * timeout (statement_timeout / max_statement_time): the statement's changes are undone.
   */
  isStatementTimeout(error: unknown): boolean;
  /** Session-level try-lock, never waits (pg_try_advisory_lock / GET_LOCK(name, 0)). */
  tryLock(session: DbSession, name: string): Promise<boolean>;
  unlock(session: DbSession, name: string): Promise<void>;
  /**
   * Marks `session` as belonging to `release`, so listSessions can tell releases apart: postgres
   * sets application_name; MariaDB registers CONNECTION_ID() in baton_session_releases.
   */
  declareRelease(session: DbSession, release: string): Promise<void>;
  /** Application sessions of this database other than `session` itself. */
  listSessions(session: DbSession): Promise<SessionInfo[]>;
  /** Number of statements running longer than `seconds` (a load signal for backfills). */
  countLongRunningQueries(session: DbSession, seconds: number): Promise<number>;
  /** Base tables of the current database/schema, sorted. */
  listTables(session: DbSession): Promise<string[]>;
  /** Creates an empty database on the server of `adminUrl`. */
  createDatabase(adminUrl: string, name: string): Promise<void>;
  dropDatabase(adminUrl: string, name: string): Promise<void>;
  /** Server major version, e.g. 15 (postgres) or 10 (MariaDB 10.11). */
  serverMajorVersion(session: DbSession): Promise<number>;
  /** Base tables of the current schema/database: sizes, row estimates, columns, indexes, constraints. */
  describeTables(session: DbSession): Promise<LiveTable[]>;
  /**
   * Names of the current schema's relations that are not base tables (views, materialized views,
   * foreign tables, sequences, indexes): what a migration may name although describeTables does
   * not list it.
   */
  listOtherRelations(session: DbSession): Promise<string[]>;
  /**
   * `columns` (unquoted names) compared with placeholders numbered from `firstParam`, spelled the
   * way this engine's planner turns into one index range (keyset pagination).
   */
  compareKeys(columns: readonly string[], op: KeyComparisonOp, firstParam: number): KeyComparison;
  /** An expression giving the (quoted) column's value as text: checkpoints keep keys as text. */
  keyAsText(quotedColumn: string): string;
  /**
   * Opens a transaction whose snapshot other sessions can share, and returns its id (postgres:
   * REPEATABLE READ + pg_export_snapshot, so pg_dump and baton's row counts see the same data);
   * undefined where the engine cannot share one (MariaDB). The caller COMMITs when it has an id.
   */
  beginConsistentSnapshot(session: DbSession): Promise<string | undefined>;
  /** Size of the current database on disk, in bytes (0 where the engine cannot say cheaply). */
  databaseSizeBytes(session: DbSession): Promise<number>;
  /** Names of indexes a session is building right now (pg_stat_progress_create_index); [] where builds are atomic. */
  indexBuildsInProgress(session: DbSession): Promise<string[]>;
  /** The statement that drops an index without blocking writes (DROP INDEX CONCURRENTLY on postgres). */
  dropIndexOnlineSql(index: string, table: string): string;
  /** DDL of baton's own bookkeeping tables, idempotent. */
  readonly bookkeepingDdl: readonly string[];
}

/** Builds a Dialect; registered in db/dialects.ts. */
export type DialectFactory = () => Dialect;
