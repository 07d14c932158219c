import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DbSession } from '../../db/dialect.js';
import { machineTarget, scratchDatabase, type ScratchDatabase } from '../../db/testing/db-targets.js';
import { analyzeMigration } from '../analyze-migration.js';

// The MySQL/MariaDB rules' claims checked against the machine's MariaDB: asking the server for
// the online algorithm (INSTANT, or INPLACE with LOCK=NONE) makes it refuse exactly the changes
// the linter rejects (they need a table copy or a write lock), and accept the alternatives.

let db: ScratchDatabase | undefined;
let session: DbSession | undefined;

before(
  async () => {
    const target = await machineTarget('mariadb');
    db = await scratchDatabase(target);
    session = await target.dialect.connect(db.url);
    for (const sql of [
      'CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, age INT, name VARCHAR(50)) ENGINE=InnoDB',
      "INSERT INTO users (age, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
      'CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT) ENGINE=InnoDB',
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

const refused =
  (errno: number) =>
  (error: unknown): boolean =>
    (error as { errno?: number }).errno === errno;

function ruleIds(sql: string): string[] {
  return analyzeMigration(sql, { dialect: 'mysql' }).findings.map((f) => f.ruleId);
}

test('alter-column-type: a type change cannot run online (ER_ALTER_OPERATION_NOT_SUPPORTED_REASON)', { timeout: 30_000 }, async () => {
  assert.ok(ruleIds('ALTER TABLE users MODIFY age BIGINT;').includes('alter-column-type'));
  await assert.rejects(live().query('ALTER TABLE users MODIFY age BIGINT, ALGORITHM=INPLACE, LOCK=NONE'), refused(1846));
});

test('add-column-rewrite: an expression default is not instant; CURRENT_TIMESTAMP and plain columns are', { timeout: 30_000 }, async () => {
  assert.ok(ruleIds('ALTER TABLE users ADD COLUMN token CHAR(36) DEFAULT (UUID());').includes('add-column-rewrite'));
  await assert.rejects(live().query('ALTER TABLE users ADD COLUMN token CHAR(36) DEFAULT (UUID()), ALGORITHM=INSTANT'), refused(1845));
  for (const sql of [
    'ALTER TABLE users ADD COLUMN created_at DATETIME DEFAULT CURRENT_TIMESTAMP',
    'ALTER TABLE users ADD COLUMN full_name VARCHAR(100)',
  ]) {
    assert.deepEqual(ruleIds(`${sql};`), [], sql);
    await live().query(`${sql}, ALGORITHM=INSTANT`);
  }
});

test('constraint-not-valid (mysql): a FOREIGN KEY is online only with foreign_key_checks=0, as the hint says', {
  timeout: 30_000,
}, async () => {
  const fk = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)';
  assert.ok(ruleIds(`${fk};`).includes('constraint-not-valid'));
  await assert.rejects(live().query(`${fk}, ALGORITHM=INPLACE, LOCK=NONE`), refused(1846));
  await live().query('SET SESSION foreign_key_checks = 0');
  try {
    await live().query(`${fk}, ALGORITHM=INPLACE, LOCK=NONE`);
  } finally {
    await live().query('SET SESSION foreign_key_checks = 1');
  }
});

test('mysql-algorithm-lock: the clauses the rule asks for are the ones the server honours', { timeout: 30_000 }, async () => {
  assert.deepEqual(ruleIds('ALTER TABLE users ADD COLUMN nickname VARCHAR(20), ALGORITHM=INPLACE, LOCK=NONE;'), []);
  await live().query('ALTER TABLE users ADD COLUMN nickname VARCHAR(20), ALGORITHM=INPLACE, LOCK=NONE');
  assert.ok(ruleIds('ALTER TABLE users ADD COLUMN note TEXT, ALGORITHM=COPY;').includes('mysql-algorithm-lock'));
});
