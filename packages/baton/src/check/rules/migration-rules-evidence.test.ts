import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DbSession } from '../../db/dialect.js';
import { machineTarget, scratchDatabase, type ScratchDatabase } from '../../db/testing/db-targets.js';
import { analyzeMigration } from '../analyze-migration.js';

// The rules' claims checked against the real PostgreSQL on the machine: the SQL a rule rejects
// takes the strong lock or rewrites the table it says, and the alternative its hint gives does
// not. Each case also runs the linter, so a rule and its evidence cannot drift apart.

let db: ScratchDatabase | undefined;
let session: DbSession | undefined;

before(
  async () => {
    const target = await machineTarget('postgres');
    db = await scratchDatabase(target);
    session = await target.dialect.connect(db.url);
    for (const sql of [
      'CREATE TABLE users (id bigserial PRIMARY KEY, email text, name text, age int)',
      "INSERT INTO users (email, name, age) SELECT 'u' || g || '@x', 'n' || g, g % 90 FROM generate_series(1, 2000) g",
      'CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint)',
    ])
      await session.query(sql);
  },
  { timeout: 30_000 },
);

after(
  async () => {
    await session?.close();
    await db?.drop();
  },
  { timeout: 30_000 },
);

function live(): DbSession {
  if (session === undefined) throw new Error('no session: setup failed');
  return session;
}

/** Relation lock modes the statement holds at its end, by table (inside a rolled-back transaction). */
async function locksOf(sql: string): Promise<Record<string, string[]>> {
  const s = live();
  await s.query('BEGIN');
  try {
    await s.query(sql);
    const { rows } = await s.query(
      "SELECT relation::regclass::text AS rel, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation::regclass::text IN ('users', 'orders')",
    );
    const byTable: Record<string, string[]> = {};
    for (const row of rows) (byTable[String(row['rel'])] ??= []).push(String(row['mode']));
    return byTable;
  } finally {
    await s.query('ROLLBACK');
  }
}

/** True when the statement gives `users` a new data file, i.e. rewrites the table. */
async function rewritesUsers(sql: string): Promise<boolean> {
  const s = live();
  const fileOf = async (): Promise<unknown> =>
    (await s.query("SELECT relfilenode FROM pg_class WHERE relname = 'users'")).rows[0]?.['relfilenode'];
  await s.query('BEGIN');
  try {
    const before = await fileOf();
    await s.query(sql);
    return (await fileOf()) !== before;
  } finally {
    await s.query('ROLLBACK');
  }
}

// Lock modes that conflict with the RowExclusiveLock every INSERT/UPDATE/DELETE takes.
const writeBlocking = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']);

function assertLinted(ruleId: string, unsafe: string, safe: string): void {
  const ids = (sql: string): string[] => analyzeMigration(sql, { dialect: 'postgres' }).findings.map((f) => f.ruleId);
  assert.ok(ids(unsafe).includes(ruleId), `${ruleId} should reject: ${unsafe}`);
  assert.ok(!ids(safe).includes(ruleId), `${ruleId} should accept: ${safe}`);
}

test('set-not-null: ACCESS EXCLUSIVE; VALIDATE CONSTRAINT only SHARE UPDATE EXCLUSIVE', { timeout: 30_000 }, async () => {
  assertLinted('set-not-null', 'ALTER TABLE users ALTER COLUMN email SET NOT NULL', 'ALTER TABLE users VALIDATE CONSTRAINT email_nn');
  assert.deepEqual(await locksOf('ALTER TABLE users ALTER COLUMN email SET NOT NULL'), { users: ['AccessExclusiveLock'] });
  await live().query('ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID');
  try {
    assert.deepEqual(await locksOf('ALTER TABLE users VALIDATE CONSTRAINT email_nn'), { users: ['ShareUpdateExclusiveLock'] });
  } finally {
    await live().query('ALTER TABLE users DROP CONSTRAINT email_nn');
  }
});

test('create-index-concurrently: a plain CREATE INDEX holds SHARE (blocks writes)', { timeout: 30_000 }, async () => {
  assertLinted('create-index-concurrently', 'CREATE INDEX users_age ON users (age)', 'CREATE INDEX CONCURRENTLY users_age ON users (age)');
  assert.deepEqual(await locksOf('CREATE INDEX users_age ON users (age)'), { users: ['ShareLock'] });
});

test('concurrently-in-transaction: PostgreSQL refuses it (SQLSTATE 25001)', { timeout: 30_000 }, async () => {
  assertLinted(
    'concurrently-in-transaction',
    'BEGIN;\nCREATE INDEX CONCURRENTLY users_age ON users (age);\nCOMMIT;',
    'CREATE INDEX CONCURRENTLY users_age ON users (age);',
  );
  await assert.rejects(
    locksOf('CREATE INDEX CONCURRENTLY users_age ON users (age)'),
    (error: unknown) => (error as { code?: string }).code === '25001',
  );
});

test('constraint-not-valid: FOREIGN KEY locks both tables SHARE ROW EXCLUSIVE; NOT VALID + VALIDATE do not block writes', {
  timeout: 30_000,
}, async () => {
  const fk = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)';
  assertLinted('constraint-not-valid', fk, `${fk} NOT VALID`);
  const locks = await locksOf(fk);
  assert.ok(locks['orders']?.includes('ShareRowExclusiveLock') && locks['users']?.includes('ShareRowExclusiveLock'), JSON.stringify(locks));
  await live().query(`${fk} NOT VALID`);
  try {
    const validate = await locksOf('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk');
    // Neither table gets a mode that conflicts with INSERT/UPDATE/DELETE (RowExclusiveLock).
    for (const mode of [...(validate['orders'] ?? []), ...(validate['users'] ?? [])])
      assert.ok(!writeBlocking.has(mode), `${mode} in ${JSON.stringify(validate)}`);
    assert.ok(validate['orders']?.includes('ShareUpdateExclusiveLock'), JSON.stringify(validate));
  } finally {
    await live().query('ALTER TABLE orders DROP CONSTRAINT orders_user_fk');
  }
});

test('add-column-rewrite: a volatile default rewrites the table, a constant or stable one does not', { timeout: 30_000 }, async () => {
  assertLinted(
    'add-column-rewrite',
    'ALTER TABLE users ADD COLUMN token float8 DEFAULT random()',
    'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()',
  );
  assert.equal(await rewritesUsers('ALTER TABLE users ADD COLUMN token float8 DEFAULT random()'), true);
  assert.equal(await rewritesUsers('ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()'), false);
  assert.equal(await rewritesUsers("ALTER TABLE users ADD COLUMN status text DEFAULT 'active'"), false);
});

test('alter-column-type: int to bigint rewrites the table under ACCESS EXCLUSIVE', { timeout: 30_000 }, async () => {
  assertLinted('alter-column-type', 'ALTER TABLE users ALTER COLUMN age TYPE bigint', 'ALTER TABLE users ADD COLUMN age_new bigint');
  assert.equal(await rewritesUsers('ALTER TABLE users ALTER COLUMN age TYPE bigint'), true);
  assert.ok((await locksOf('ALTER TABLE users ALTER COLUMN age TYPE bigint'))['users']?.includes('AccessExclusiveLock'));
});

test('add-column-not-null: fails outright on a table with rows (SQLSTATE 23502)', { timeout: 30_000 }, async () => {
  assertLinted(
    'add-column-not-null',
    'ALTER TABLE users ADD COLUMN full_name text NOT NULL',
    "ALTER TABLE users ADD COLUMN full_name text NOT NULL DEFAULT ''",
  );
  await assert.rejects(
    locksOf('ALTER TABLE users ADD COLUMN full_name text NOT NULL'),
    (error: unknown) => (error as { code?: string }).code === '23502',
  );
  assert.equal(await rewritesUsers("ALTER TABLE users ADD COLUMN full_name text NOT NULL DEFAULT ''"), false);
});

test('add-unique-constraint: ADD UNIQUE builds its index under ACCESS EXCLUSIVE; USING INDEX does not build', {
  timeout: 30_000,
}, async () => {
  assertLinted(
    'add-unique-constraint',
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx',
  );
  const locks = await locksOf('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)');
  assert.ok(locks['users']?.includes('AccessExclusiveLock'), JSON.stringify(locks));
});
