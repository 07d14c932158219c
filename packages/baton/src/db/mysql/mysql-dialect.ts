import mysql from 'mysql2/promise';
import { parseConnectionUrl } from '../connection-url.js';
import { connectError, type ConnectFailure } from '../connect-error.js';
import type { ConnectOptions, DbSession, Dialect, Row, SessionInfo } from '../dialect.js';
import { expandedComparison } from '../keyset-comparison.js';
import { describeMysqlTables } from './describe-mysql-tables.js';

function failureKind(error: unknown): ConnectFailure {
  const code = (error as { code?: unknown }).code;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') return 'auth';
  if (code === 'ER_BAD_DB_ERROR') return 'no-database';
  if (typeof code === 'string' && /^E(CONNREFUSED|NOTFOUND|TIMEDOUT|HOSTUNREACH|CONNRESET|AI_AGAIN)$/.test(code)) return 'unreachable';
  return 'other';
}

const sessionReleasesDdl = `CREATE TABLE IF NOT EXISTS baton_session_releases (
  connection_id BIGINT UNSIGNED PRIMARY KEY, \`release\` VARCHAR(255) NOT NULL,
  registered_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))`;

function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** MariaDB timeouts are whole seconds; round up so "2 s" never becomes 0 (= no wait at all). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

async function connect(url: string, options: ConnectOptions = {}): Promise<DbSession> {
  const target = parseConnectionUrl(url);
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database === '' ? undefined : target.database,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      supportBigNumbers: true,
      bigNumberStrings: false,
      connectAttributes: { program_name: options.applicationName ?? 'baton' },
    });
  } catch (cause) {
    throw connectError(failureKind(cause), target, cause);
  }
  conn.on('error', () => undefined);
  if (options.readOnly) await conn.query('SET SESSION TRANSACTION READ ONLY');
  return {
    id: conn.threadId ?? 0,
    async query(sql, params) {
      const [result] = await conn.query(sql, params as unknown[] | undefined);
      if (Array.isArray(result)) return { rows: result as Row[], rowCount: result.length };
      return { rows: [], rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    },
    async close() {
      await conn.end().catch(() => conn.destroy());
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

/**
 * MariaDB (and MySQL) through `mysql2`. The only file in baton that imports mysql2.
 * MariaDB ships performance_schema off by default, so connection attributes are not listable;
 * a session declares its release by registering in `baton_session_releases` (see database.md).
 */
export function createMysqlDialect(): Dialect {
  return {
    name: 'mysql',
    connect,
    param: () => '?',
    quoteIdent,
    transactionalDdl: false,
    dataModifyingCte: false,
    undoHoldsLocks: true,
    async setTimeouts(session, profile) {
      // MariaDB has no SET LOCAL: the session value applies, which is what the runner wants anyway.
      await session.query(`SET SESSION lock_wait_timeout = ${seconds(profile.lockTimeoutMs)}`);
      await session.query(`SET SESSION innodb_lock_wait_timeout = ${seconds(profile.lockTimeoutMs)}`);
      await session.query(`SET SESSION max_statement_time = ${Math.max(0, profile.statementTimeoutMs) / 1000}`);
    },
    isLockTimeout(error) {
      const e = error as { code?: unknown; errno?: unknown } | null;
      return e?.code === 'ER_LOCK_WAIT_TIMEOUT' || e?.errno === 1205;
    },
    isStatementTimeout(error) {
      // MariaDB's ER_STATEMENT_TIMEOUT: "Query execution was interrupted (max_statement_time exceeded)".
      const e = error as { code?: unknown; errno?: unknown } | null;
      return e?.code === 'ER_STATEMENT_TIMEOUT' || e?.errno === 1969;
    },
    async tryLock(session, name) {
      const { rows } = await session.query('SELECT GET_LOCK(?, 0) AS ok', [name]);
      return Number(rows[0]?.ok) === 1;
    },
    async unlock(session, name) {
      await session.query('SELECT RELEASE_LOCK(?)', [name]);
    },
    async declareRelease(session, release) {
      // Rows of closed connections stay behind harmlessly: listSessions joins on live processlist ids.
      await session.query(sessionReleasesDdl);
      await session.query(
        `INSERT INTO baton_session_releases (connection_id, \`release\`) VALUES (CONNECTION_ID(), ?)
         ON DUPLICATE KEY UPDATE \`release\` = VALUES(\`release\`), registered_at = CURRENT_TIMESTAMP(6)`,
        [release],
      );
    },
    async listSessions(session): Promise<SessionInfo[]> {
      await session.query(sessionReleasesDdl);
      const { rows } = await session.query(
        `SELECT p.ID AS id, p.USER AS user, p.DB AS db, p.TIME AS busy, r.${quoteIdent('release')} AS rel
           FROM information_schema.PROCESSLIST p
           LEFT JOIN baton_session_releases r ON r.connection_id = p.ID
          WHERE p.DB = DATABASE() AND p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump')`,
      );
      return rows.map((r) => ({
        id: Number(r.id),
        release: r.rel == null ? null : String(r.rel),
        user: r.user == null ? null : String(r.user),
        database: r.db == null ? null : String(r.db),
        busySeconds: r.busy == null ? null : Number(r.busy),
      }));
    },
    async countLongRunningQueries(session, secs) {
      const { rows } = await session.query(
        `SELECT COUNT(DISTINCT id) AS n FROM (
           SELECT ID AS id FROM information_schema.PROCESSLIST
            WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND = 'Query' AND TIME > ?
           UNION
           SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX
            WHERE trx_mysql_thread_id <> CONNECTION_ID() AND trx_started < NOW() - INTERVAL ? SECOND) t`,
        [secs, secs],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async listTables(session) {
      const { rows } = await session.query(
        `SELECT TABLE_NAME AS t FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      );
      return rows.map((r) => String(r.t));
    },
    async createDatabase(adminUrl, name) {
      await onAdmin(adminUrl, `CREATE DATABASE ${quoteIdent(name)}`);
    },
    async dropDatabase(adminUrl, name) {
      await onAdmin(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    },
    async serverMajorVersion(session) {
      const { rows } = await session.query('SELECT VERSION() AS v');
      return Number.parseInt(String(rows[0]?.v ?? '0'), 10);
    },
    describeTables: describeMysqlTables,
    async listOtherRelations(session) {
      const { rows } = await session.query(
        `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE <> 'BASE TABLE' ORDER BY 1`,
      );
      return rows.map((r) => String(r.name));
    },
    compareKeys: (columns, op, firstParam) => expandedComparison(columns.map(quoteIdent), op, () => '?', firstParam),
    keyAsText: (column) => `CAST(${column} AS CHAR)`,
    // InnoDB builds an index completely or not at all: nothing half-built to wait for.
    indexBuildsInProgress: async () => [],
    // mysqldump --single-transaction takes its own snapshot; MariaDB cannot hand one to it.
    beginConsistentSnapshot: async () => undefined,
    async databaseSizeBytes(session) {
      const { rows } = await session.query(
        'SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS b FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
      );
      return Number(rows[0]?.b ?? 0);
    },
    dropIndexOnlineSql: (index, table) => `ALTER TABLE ${quoteIdent(table)} DROP INDEX ${quoteIdent(index)}, ALGORITHM=INPLACE, LOCK=NONE`,
    bookkeepingDdl: [
      `CREATE TABLE IF NOT EXISTS baton_schema_migrations (
         version INT PRIMARY KEY, name VARCHAR(255) NOT NULL, phase VARCHAR(16) NOT NULL, checksum CHAR(64) NOT NULL,
         applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), duration_ms INT NOT NULL, \`release\` VARCHAR(255) NULL)`,
      `CREATE TABLE IF NOT EXISTS baton_backfill_cursor (
         version INT PRIMARY KEY, table_name VARCHAR(255) NOT NULL, key_columns TEXT NOT NULL,
         end_key TEXT NULL, last_key TEXT NULL, rows_done BIGINT NOT NULL DEFAULT 0, keys_done BIGINT NOT NULL DEFAULT 0,
         batches INT NOT NULL DEFAULT 0, batch_size INT NOT NULL, est_rows BIGINT NOT NULL DEFAULT 0,
         done BOOLEAN NOT NULL DEFAULT FALSE, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))`,
      sessionReleasesDdl,
    ],
  };
}
