import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UsersStore } from './users-store.js';
import { http, startApp } from './test-support.js';

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const T = { timeout: 30_000 };
const ADMIN_BIN = fileURLToPath(new URL('../bin/demo-admin', import.meta.url));

function demoAdmin(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ADMIN_BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The up part of a migration file, backfill placeholders covering every key. */
function migrationSql(file: string): string {
  const text = readFileSync(new URL(`../migrations/${file}`, import.meta.url), 'utf8');
  const up = text.split(/^-- baton: down\s*$/m)[0] ?? '';
  return up.replaceAll(':start', '0').replaceAll(':end', '9223372036854775807');
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required at ${ADMIN_URL} (user postgres): ${String(error)}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('users API across the expand/contract releases (real PostgreSQL)', () => {
  // A scratch database per test, dropped after it.
  let dbName = '';
  let dbUrl = '';
  let db: pg.Pool;

  beforeEach(async () => {
    dbName = `demo_app_test_${randomBytes(4).toString('hex')}`;
    dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
    // template0: nobody connects to it, so concurrent sessions on template1 cannot block CREATE DATABASE.
    await admin((c) => c.query(`CREATE DATABASE ${dbName} TEMPLATE template0`));
    db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  });
  afterEach(async () => {
    await db?.end();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  /** Every migration up: the schema v3 runs on once the contract is done. */
  async function migrateAll(): Promise<void> {
    for (const f of ['0001_create_users.sql', '0002_add_full_name.sql', '0003_backfill_full_name.sql', '0004_drop_first_last_name.sql'])
      await db.query(migrationSql(f));
  }

  it('v1 -> 0002 -> v2 -> 0003 -> v3 -> 0004: every user written by any release reads back', T, async () => {
    const q = { query: (t: string, v?: unknown[]) => db.query(t, v) };
    await db.query(migrationSql('0001_create_users.sql'));
    const v1 = new UsersStore(q, 'v1');
    const ada = await v1.create({ firstName: 'Ada', lastName: 'Lovelace' });
    assert.deepEqual(await v1.get(ada), { id: ada, fullName: 'Ada Lovelace' });
    assert.equal(await v1.get('999999'), undefined);

    await db.query(migrationSql('0002_add_full_name.sql'));
    // Expand is compatible with the old code: v1 keeps writing while v2 rolls out.
    const grace = await v1.create({ firstName: 'Grace', lastName: 'Hopper' });
    const v2 = new UsersStore(q, 'v2');
    const alan = await v2.create({ firstName: 'Alan', lastName: 'Turing' });
    assert.equal((await v2.get(ada))?.fullName, 'Ada Lovelace', 'v2 falls back for rows v1 wrote');
    assert.equal((await v2.get(alan))?.fullName, 'Alan Turing');
    assert.equal((await v1.get(alan))?.fullName, 'Alan Turing', 'v1 still reads rows v2 wrote');

    await db.query(migrationSql('0003_backfill_full_name.sql'));
    const v3 = new UsersStore(q, 'v3');
    const edsger = await v3.create({ firstName: 'Edsger', lastName: 'Dijkstra' });
    for (const [id, name] of [
      [ada, 'Ada Lovelace'],
      [grace, 'Grace Hopper'],
      [alan, 'Alan Turing'],
      [edsger, 'Edsger Dijkstra'],
    ] as const) {
      assert.equal((await v3.get(id))?.fullName, name);
      assert.equal((await v2.get(id))?.fullName, name, 'v2 and v3 agree while both run');
    }

    await db.query(migrationSql('0004_drop_first_last_name.sql'));
    assert.equal((await v3.get(grace))?.fullName, 'Grace Hopper');
    await assert.rejects(v2.create({ firstName: 'x', lastName: 'y' }), /first_name/, 'contract breaks v2: it must be gone first');
  });

  it('the HTTP API writes then reads through the server and tags its sessions with application_name', T, async () => {
    await migrateAll();
    const app = await startApp({ APP_VERSION: 'v3', DATABASE_URL: dbUrl, BATON_RELEASE: 'demo-rel-42' });
    try {
      assert.equal((await http(`${app.url}/ready`)).status, 200);
      const created = await http(`${app.url}/users`, { method: 'POST', body: { first_name: 'Barbara', last_name: 'Liskov' } });
      assert.equal(created.status, 201);
      const { id } = JSON.parse(created.body) as { id: string };
      const read = await http(`${app.url}/users/${id}`);
      assert.deepEqual(JSON.parse(read.body), { id, full_name: 'Barbara Liskov' });
      assert.equal((await http(`${app.url}/users/987654`)).status, 404);
      assert.equal((await http(`${app.url}/users`, { method: 'POST', body: { first_name: 'x' } })).status, 400);
      const sessions = await db.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [
        dbName,
        'demo-rel-42',
      ]);
      assert.ok((sessions.rows[0] as { n: number }).n >= 1);
    } finally {
      await app.kill();
    }
  });

  it("demo-admin migrate-status reads the ledger; cache-clear empties the running server's cache", T, async () => {
    await migrateAll();
    await db.query(`CREATE TABLE baton_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, phase text NOT NULL,
      checksum char(64) NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL, release text)`);
    await db.query(`INSERT INTO baton_schema_migrations (version, name, phase, checksum, duration_ms) VALUES
      (1, 'create_users', 'expand', repeat('a', 64), 5), (2, 'add_full_name', 'expand', repeat('b', 64), 7)`);
    const status = await demoAdmin(['migrate-status'], { DATABASE_URL: dbUrl });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /0001\s+0001_create_users\.sql\s+applied 20/);
    assert.match(status.stdout, /0002\s+0002_add_full_name\.sql\s+applied/);
    assert.match(status.stdout, /0004\s+0004_drop_first_last_name\.sql\s+pending/);
    const down = await demoAdmin(['migrate-status'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /database unreachable/);

    const app = await startApp({ APP_VERSION: 'v3', DATABASE_URL: dbUrl });
    try {
      const created = await http(`${app.url}/users`, { method: 'POST', body: { first_name: 'Ken', last_name: 'Thompson' } });
      const { id } = JSON.parse(created.body) as { id: string };
      assert.equal((await http(`${app.url}/users/${id}`)).status, 200);
      const cleared = await demoAdmin(['cache-clear'], { HOST: '127.0.0.1', PORT: String(app.port) });
      assert.equal(cleared.code, 0, cleared.stderr);
      assert.match(cleared.stdout, /cleared user cache: 1 entries \(pod test-pod\)/);
      assert.match((await demoAdmin(['cache-clear'], { HOST: '127.0.0.1', PORT: String(app.port) })).stdout, /: 0 entries/);
    } finally {
      await app.kill();
    }
    assert.equal((await demoAdmin(['nonsense'], {})).code, 1);
  });
});
