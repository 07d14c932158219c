import { BatonError } from '../../errors.js';
import type { DbSession } from '../dialect.js';
import { parseConnectionUrl } from '../connection-url.js';
import { dialectForUrl } from '../dialects.js';
import { readLedger, type AppliedMigration } from './ledger.js';
import type { LiveSchema } from '../schema/live-schema.js';

/** What `baton check --database` reads from the live database, once, before judging migrations. */
export interface LiveDatabase {
  schema: LiveSchema;
  /** Versions in baton_schema_migrations (empty when baton never migrated this database). */
  appliedVersions: number[];
  /** The ledger's entries (checksums included), in version order. */
  applied: AppliedMigration[];
  /** Indexes a session is building right now (not INVALID leftovers). */
  indexBuildsInProgress: string[];
}

/**
 * Reads the live schema, baton's ledger and the index builds in progress through a READ ONLY
 * session. Changes nothing: the ledger is read only when its table exists (no baton table is
 * created), and the server itself would refuse a write. A failed connection is the dialect's
 * BatonError (DB_UNREACHABLE, DB_AUTH_FAILED, DB_NOT_FOUND...).
 */
export async function readLiveDatabase(url: string, options: { applicationName?: string } = {}): Promise<LiveDatabase> {
  const dialect = dialectForUrl(url);
  // Without a database MariaDB's DATABASE() is NULL: every table would read as missing.
  if (dialect.name === 'mysql' && parseConnectionUrl(url).database === '') {
    throw new BatonError('DB_URL_INVALID', 'the MySQL/MariaDB URL names no database, so there is no schema to read', {
      hint: 'add the database to the URL: mysql://user@host:3306/app',
    });
  }
  const session: DbSession = await dialect.connect(url, { applicationName: options.applicationName ?? 'baton-check', readOnly: true });
  try {
    const tables = await dialect.describeTables(session);
    const hasLedger = tables.some((t) => t.name === 'baton_schema_migrations');
    const applied = hasLedger ? await readLedger(dialect, session) : [];
    const appliedVersions = applied.map((a) => a.version);
    return {
      schema: {
        dialect: dialect.name,
        serverVersion: await dialect.serverMajorVersion(session),
        // baton's own bookkeeping is not the application's schema.
        tables: tables.filter((t) => !t.name.startsWith('baton_')),
        otherRelations: await dialect.listOtherRelations(session),
      },
      appliedVersions,
      applied,
      indexBuildsInProgress: await dialect.indexBuildsInProgress(session),
    };
  } catch (cause) {
    if (cause instanceof BatonError) throw cause;
    throw new BatonError('DB_READ_FAILED', `cannot read the live schema: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      hint: 'the database user needs to read the catalogs (pg_catalog / information_schema) and baton_schema_migrations',
    });
  } finally {
    await session.close();
  }
}
