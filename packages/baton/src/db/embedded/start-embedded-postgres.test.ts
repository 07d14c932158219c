import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import { dialects } from '../dialects.js';
import { startEmbeddedPostgres } from './start-embedded-postgres.js';

describe('startEmbeddedPostgres', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1 with a password, and a second start reuses the cluster and its data', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-embedded-'));
    dirs.push(dir);
    await chmod(dir, 0o711);
    const dataDir = join(dir, 'data');
    const pg = dialects.postgres();
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      assert.match(first.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
      const s = await pg.connect(first.url);
      await s.query('CREATE TABLE kept (id int)');
      await s.query('INSERT INTO kept VALUES (42)');
      assert.equal(await pg.serverMajorVersion(s), 15);
      await s.close();
      const wrong = new URL(first.url);
      wrong.password = 'not-it';
      await assert.rejects(pg.connect(wrong.href), (e: unknown) => isBatonError(e) && e.code === 'DB_AUTH_FAILED');
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const s = await pg.connect(second.url);
      assert.deepEqual((await s.query('SELECT id FROM kept')).rows, [{ id: 42 }]);
      await s.close();
    } finally {
      await second.stop();
    }
  });

  it('as root, says which directory user postgres cannot enter instead of failing inside initdb', { timeout: 30_000 }, async (t) => {
    if (userInfo().uid !== 0) {
      t.skip('only meaningful as root: postgres then runs as user "postgres"');
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'baton-embedded-private-')); // 0700, owned by root
    dirs.push(dir);
    await assert.rejects(startEmbeddedPostgres({ dataDir: join(dir, 'data') }), (e: unknown) => {
      assert.ok(isBatonError(e));
      assert.equal(e.code, 'EMBEDDED_PG_ROOT_ACCESS');
      assert.ok(e.message.includes(dir));
      return true;
    });
  });
});
