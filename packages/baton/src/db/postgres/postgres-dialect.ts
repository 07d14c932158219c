import pg from 'pg';
import { parseConnectionUrl } from '../connection-url.js';
import { connectError, type ConnectFailure } from '../connect-error.js';
import type { ConnectOptions, DbSession, Dialect, Row, SessionInfo, TimeoutProfile } from '../dialect.js';
import { rowValueComparison } from '../keyset-comparison.js';
import { lockKey } from '../lock-key.js';
import { describePostgresTables } from './describe-postgres-tables.js';

function failureKind(error: unknown): ConnectFailure {
  const code = (error as { code?: unknown }).code;
  if (code === '28P01' || code === '28000') return 'auth';
  if (code === '3D000') return 'no-database';
  if (typeof code === 'string' && /^E(CONNREFUSED|NOTFOUND|TIMEDOUT|HOSTUNREACH|CONNRESET|AI_AGAIN)$/.test(code)) return 'unreachable';
  if (error instanceof Error && /timeout|terminated/i.test(error.message)) return 'unreachable';
  return 'other';
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function connect(url: string, options: ConnectOptions = {}): Promise<DbSession> {
  const target = parseConnectionUrl(url);
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    application_name: options.applicationName ?? 'baton',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    // Set at connection start, so not even the first statement could write.
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A server-side disconnect emits 'error' on an idle client; without a listener Node would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (cause) {
    await client.end().catch(() => undefined);
    throw connectError(failureKind(cause), target, cause);
  }
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
  return {
    id: pid,
    async query(sql, params) {
      const result = await client.query<Row>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

async function onAdmin(adminUrl: string, sql: string): Promise<void> {
  const session = await connect(adminUrl);
  try {
    await session.query(sql);
  } finally {
    await session.close();
  }
}

/** PostgreSQL through `pg`. The only file in baton that imports pg. */
export function createPostgresDialect(): Dialect {
  return {
    name: 'postgres',
    connect,
    param: (n) => `$${n}`,
    quoteIdent,
    transactionalDdl: true,
    dataModifyingCte: true,
    undoHoldsLocks: false,
    async setTimeouts(session: DbSession, profile: TimeoutProfile, scope) {
      const set = scope === 'local' ? 'SET LOCAL' : 'SET';
      await session.query(`${set} lock_timeout = '${Math.max(0, Math.round(profile.lockTimeoutMs))}ms'`);
      await session.query(`${set} statement_timeout = '${Math.max(0, Math.round(profile.statementTimeoutMs))}ms'`);
    },
    isLockTimeout(error) {
      return (error as { code?: unknown } | null)?.code === '55P03';
    },
    isStatementTimeout(error) {
      // 57014 is also a cancel by pg_cancel_backend; only the timeout says so in its message.
      const e = error as { code?: unknown; message?: unknown } | null;
      return e?.code === '57014' && typeof e.message === 'string' && e.message.includes('statement timeout');
    },
    async tryLock(session, name) {
      const { rows } = await session.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(name)]);
      return rows[0]?.ok === true;
    },
    async unlock(session, name) {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(name)]);
    },
    async declareRelease(session, release) {
      await session.query(`SELECT set_config('application_name', $1, false)`, [release]);
    },
    async listSessions(session): Promise<SessionInfo[]> {
      const { rows } = await session.query(
        `SELECT pid, application_name, usename, datname,
                EXTRACT(EPOCH FROM now() - COALESCE(xact_start, query_start)) AS busy
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      return rows.map((r) => ({
        id: Number(r.pid),
        release: r.application_name === '' || r.application_name == null ? null : String(r.application_name),
        user: r.usename == null ? null : String(r.usename),
        database: r.datname == null ? null : String(r.datname),
        busySeconds: r.busy == null ? null : Number(r.busy),
      }));
    },
    async countLongRunningQueries(session, seconds) {
      // Long transactions (active or idle in transaction) hold snapshots and locks: both are load.
      const { rows } = await session.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            AND state <> 'idle' AND now() - COALESCE(xact_start, query_start) > make_interval(secs => $1)`,
        [seconds],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async listTables(session) {
      const { rows } = await session.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      return rows.map((r) => String(r.table_name));
    },
    async createDatabase(adminUrl, name) {
      await onAdmin(adminUrl, `CREATE DATABASE ${quoteIdent(name)}`);
    },
    async dropDatabase(adminUrl, name) {
      await onAdmin(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
    async serverMajorVersion(session) {
      const { rows } = await session.query(`SELECT current_setting('server_version_num')::int AS v`);
      return Math.floor(Number(rows[0]?.v ?? 0) / 10000);
    },
    describeTables: describePostgresTables,
    async listOtherRelations(session) {
      const { rows } = await session.query(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind NOT IN ('r', 'p') ORDER BY 1`,
      );
      return rows.map((r) => String(r.name));
    },
    compareKeys: (columns, op, firstParam) => rowValueComparison(columns.map(quoteIdent), op, (n) => `$${n}`, firstParam),
    keyAsText: (column) => `${column}::text`,
    async indexBuildsInProgress(session) {
      const { rows } = await session.query(
        `SELECT c.relname AS name FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.index_relid
          WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return rows.map((r) => String(r.name));
    },
    async beginConsistentSnapshot(session) {
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      return String((await session.query('SELECT pg_export_snapshot() AS s')).rows[0]?.s);
    },
    async databaseSizeBytes(session) {
      return Number((await session.query('SELECT pg_database_size(current_database()) AS b')).rows[0]?.b ?? 0);
    },
    dropIndexOnlineSql: (index) => `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(index)}`,
    bookkeepingDdl: [
      `CREATE TABLE IF NOT EXISTS baton_schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, phase text NOT NULL, checksum char(64) NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL, release text)`,
      // Keyset checkpoints: keys of any type and arity, kept as JSON arrays of their text form.
      `CREATE TABLE IF NOT EXISTS baton_backfill_cursor (
         version integer PRIMARY KEY, table_name text NOT NULL, key_columns text NOT NULL,
         end_key text, last_key text, rows_done bigint NOT NULL DEFAULT 0, keys_done bigint NOT NULL DEFAULT 0,
         batches integer NOT NULL DEFAULT 0, batch_size integer NOT NULL, est_rows bigint NOT NULL DEFAULT 0,
         done boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now())`,
    ],
  };
}
