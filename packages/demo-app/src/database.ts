import pg from 'pg';
import type { Queryable } from './users-store.js';

/** The app's connection pool plus a cached reachability check for /ready. */
export interface Database extends Queryable {
  /** True when a trivial query succeeded recently; cached for `pingCacheMs` to spare the DB. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  applicationName: string;
  pingCacheMs?: number;
  now?: () => number;
}

/** Opens a small pool; sessions carry `applicationName` so baton can see which release holds them. */
export function openDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    application_name: options.applicationName,
    max: 5,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 10_000,
  });
  // An idle client losing its server (DB restart) emits here; without a listener the process dies.
  pool.on('error', () => undefined);
  const now = options.now ?? Date.now;
  const cacheMs = options.pingCacheMs ?? 1_000;
  let last: { at: number; ok: boolean } | undefined;
  let pending: Promise<boolean> | undefined;

  return {
    async query(text, values) {
      const result = await pool.query(text, values);
      return { rows: result.rows as Record<string, unknown>[] };
    },
    reachable() {
      if (last !== undefined && now() - last.at < cacheMs) return Promise.resolve(last.ok);
      pending ??= pool
        .query('SELECT 1')
        .then(
          () => true,
          () => false,
        )
        .then((ok) => {
          last = { at: now(), ok };
          pending = undefined;
          return ok;
        });
      return pending;
    },
    async close() {
      await pool.end();
    },
  };
}
