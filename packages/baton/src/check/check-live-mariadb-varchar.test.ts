// `check --database` and VARCHAR growth against the machine's MariaDB (127.0.0.1:3306). Every
// claim is first put to the server: the same ALTER, on a CREATE TABLE ... LIKE copy of the live
// table, with ALGORITHM=INSTANT, then INPLACE, LOCK=NONE: the first the server accepts is what it
// would do (COPY when it refuses both). MariaDB 10.4+ grows a VARCHAR within its length-prefix
// size INSTANT; INPLACE alone means a rebuild (online, but every row is rewritten), e.g. for a
// NOT NULL dropped on the way. check must call free exactly what the server does INSTANT.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { DbSession } from '../db/dialect.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { check } from '../operations/check.js';
import type { Finding } from './finding.js';

const T = { timeout: 60_000 };
const contract = '-- baton: phase=contract\n';
// Every table counts as big: a small one would soften the copy finding and blur the difference.
const big = { rows: 0, bytes: 0 };

describe('baton check --database: VARCHAR growth on MariaDB (127.0.0.1:3306)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  const dirs: string[] = [];
  before(async () => {
    target = await machineTarget('mariadb');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
    await q.query(
      `CREATE TABLE people (id int PRIMARY KEY, email varchar(50), handle varchar(60), wide varchar(80),
         latin varchar(100) CHARACTER SET latin1, code varchar(20) NOT NULL DEFAULT 'x', KEY people_email (email))
       ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
    );
    await q.query(
      `INSERT INTO people VALUES (1, 'a@x', 'a', 'w', 'l', 'c'), (2, 'b@x', 'b', 'w', 'l', 'c'), (3, 'c@x', 'c', 'w', 'l', 'c')`,
    );
    await q.query('CREATE TABLE notes (id int PRIMARY KEY, title varchar(50)) ENGINE=Aria DEFAULT CHARSET=utf8mb4');
    await q.query('ANALYZE TABLE people, notes');
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  /** What the server does to run `change` on a copy of `table`: the cheapest algorithm it accepts. */
  const algorithmOf = async (table: string, change: string): Promise<'INSTANT' | 'INPLACE' | 'COPY'> => {
    await q.query(`DROP TABLE IF EXISTS probe`);
    await q.query(`CREATE TABLE probe LIKE ${table}`);
    try {
      for (const [algorithm, clause] of [
        ['INSTANT', 'ALGORITHM=INSTANT'],
        ['INPLACE', 'ALGORITHM=INPLACE, LOCK=NONE'],
      ] as const) {
        try {
          await q.query(`ALTER TABLE probe ${change}, ${clause}`);
          return algorithm;
        } catch (error) {
          // ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON): not this way; anything else is a test bug.
          assert.match(String(error), /is not supported/);
        }
      }
      return 'COPY';
    } finally {
      await q.query('DROP TABLE probe');
    }
  };
  const judged = async (table: string, change: string): Promise<Finding[]> => {
    const dir = await writeMigrations({ '0001_grow.sql': `${contract}ALTER TABLE ${table} ${change};\n` });
    dirs.push(dir);
    const { findings } = await check({ migrations: { dir, dialect: 'mysql' }, database: { url: s.url, smallTable: big } });
    return findings.filter((f) => f.ruleId === 'alter-column-type');
  };

  it('VARCHAR(50) -> VARCHAR(60) utf8mb4 (200 -> 240 bytes, an indexed column): in place, so info with the proof', T, async () => {
    assert.equal(await algorithmOf('people', 'MODIFY email varchar(60)'), 'INSTANT');
    const [finding, ...more] = await judged('people', 'MODIFY email varchar(60)');
    assert.deepEqual(more, []);
    assert.equal(finding?.severity, 'info');
    assert.match(
      finding?.message ?? '',
      /from varchar\(50\) to varchar\(60\): live, InnoDB extends it in place .*200 -> 240 bytes, the length prefix stays 1 byte/,
    );
    assert.equal(finding?.live, undefined);
    // Already over 255 bytes (320 -> 400): the 2-byte prefix stays, also in place.
    assert.equal(await algorithmOf('people', 'MODIFY wide varchar(100)'), 'INSTANT');
    assert.equal((await judged('people', 'MODIFY wide varchar(100)'))[0]?.severity, 'info');
    // CHANGE restating the same name is the same change.
    assert.equal((await judged('people', 'CHANGE email email varchar(60)'))[0]?.severity, 'info');
  });

  it('VARCHAR(60) -> VARCHAR(70) utf8mb4 crosses 255 bytes (240 -> 280): the server copies, and check keeps the error', T, async () => {
    assert.equal(await algorithmOf('people', 'MODIFY handle varchar(70)'), 'COPY');
    const [finding] = await judged('people', 'MODIFY handle varchar(70)');
    assert.equal(finding?.severity, 'error');
    assert.match(finding?.message ?? '', /copies the whole table/);
  });

  it(
    'what a MODIFY drops or changes besides the length (NOT NULL, DEFAULT, character set, collation, a shrink) keeps the finding',
    T,
    async () => {
      const cases: [table: string, change: string, server: 'INSTANT' | 'INPLACE' | 'COPY'][] = [
        ['people', 'MODIFY code varchar(30)', 'INPLACE'], // loses NOT NULL (a rebuild) and DEFAULT 'x'
        ['people', "MODIFY code varchar(30) NOT NULL DEFAULT 'x'", 'INSTANT'],
        ['people', 'MODIFY latin varchar(200)', 'COPY'], // takes the table's utf8mb4: a conversion
        ['people', 'MODIFY latin varchar(200) CHARACTER SET latin1 COLLATE latin1_swedish_ci', 'INSTANT'],
        ['people', 'MODIFY email varchar(60) COLLATE utf8mb4_bin', 'INPLACE'], // rebuilds the index on email
        ['people', 'MODIFY email varchar(40)', 'COPY'],
        ['people', 'MODIFY email text', 'COPY'],
      ];
      for (const [table, change, server] of cases) {
        assert.equal(await algorithmOf(table, change), server, `server: ${change}`);
        const severities = (await judged(table, change)).map((f) => f.severity);
        assert.deepEqual(severities, [server === 'INSTANT' ? 'info' : 'error'], `check: ${change}`);
      }
      // Not InnoDB (Aria): copied, whatever the lengths.
      assert.equal(await algorithmOf('notes', 'MODIFY title varchar(60)'), 'COPY');
      assert.deepEqual(
        (await judged('notes', 'MODIFY title varchar(60)')).map((f) => f.severity),
        ['error'],
      );
    },
  );

  it('a proven growth mixes with nothing: a file adding a column and growing a VARCHAR is not mixed-phases', T, async () => {
    const dir = await writeMigrations({
      '0001_grow.sql': `${contract}ALTER TABLE people ADD COLUMN nick varchar(10);\nALTER TABLE people MODIFY email varchar(60);\n`,
    });
    dirs.push(dir);
    const { findings } = await check({ migrations: { dir, dialect: 'mysql' }, database: { url: s.url, smallTable: big } });
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'mixed-phases'),
      [],
    );
    const offline = await check({ migrations: { dir, dialect: 'mysql' } });
    assert.equal(offline.findings.filter((f) => f.ruleId === 'mixed-phases').length, 1);
  });
});
