import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatonError } from '../../errors.js';
import { withDatabase } from '../connection-url.js';
import type { Dialect, DialectName } from '../dialect.js';
import { dialects } from '../dialects.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded/start-embedded-postgres.js';

/** One database server the contract suite runs against. */
export interface DbTarget {
  name: 'postgres' | 'mariadb' | 'embedded-postgres';
  dialect: Dialect;
  /** Server URL for admin work (create/drop scratch databases). */
  adminUrl: string;
}

/** A scratch database; `drop` removes it (tests call it in `after`). */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const machine: Record<'postgres' | 'mariadb', { url: string; dialect: DialectName }> = {
  postgres: { url: 'postgres://postgres@127.0.0.1:5432/postgres', dialect: 'postgres' },
  mariadb: { url: 'mysql://root@127.0.0.1:3306/', dialect: 'mysql' },
};

/**
 * The machine's PostgreSQL or MariaDB. A missing server fails the test with its name and address
 * (never a silent skip).
 */
export async function machineTarget(name: 'postgres' | 'mariadb'): Promise<DbTarget> {
  const { url, dialect: dialectName } = machine[name];
  const dialect = dialects[dialectName]();
  try {
    const session = await dialect.connect(url, { connectTimeoutMs: 3000 });
    await session.close();
  } catch (cause) {
    throw new BatonError('TEST_SERVICE_MISSING', `${name} is required by this test at ${url} and is not reachable`, {
      cause,
      hint: `start ${name} on 127.0.0.1 (scripts/ensure-services.sh)`,
    });
  }
  return { name, dialect, adminUrl: url };
}

/** An embedded PostgreSQL in a temp dir, for the duration of one test file. */
export async function embeddedTarget(): Promise<{ target: DbTarget; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-db-test-'));
  // mkdtemp makes a 0700 directory; the server (user postgres when we are root) must enter it.
  await chmod(dir, 0o711);
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({ dataDir: join(dir, 'data') });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    target: { name: 'embedded-postgres', dialect: dialects.postgres(), adminUrl: server.url },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database named baton_t_<random> on the target. */
export async function scratchDatabase(target: DbTarget): Promise<ScratchDatabase> {
  const name = `baton_t_${randomBytes(5).toString('hex')}`;
  await target.dialect.createDatabase(target.adminUrl, name);
  return {
    name,
    url: withDatabase(target.adminUrl, name),
    drop: () => target.dialect.dropDatabase(target.adminUrl, name),
  };
}
