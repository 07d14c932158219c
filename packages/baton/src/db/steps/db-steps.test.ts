import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PlannedStep } from '../../engine/step.js';
import { createTestRunContext } from '../../engine/testing/test-run-context.js';
import type { JsonObject } from '../../json.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../testing/db-targets.js';
import { keywordAnalyzer } from '../testing/keyword-analyzer.js';
import { demoMigrationsDir } from '../testing/rename-fixtures.js';
import { createDbStepKinds } from './index.js';

const T = { timeout: 60_000 };
const PASSWORD = 'sekrit-pw-42';

function step(kind: string, params: JsonObject): PlannedStep {
  return { id: `${kind}:test`, kind, title: kind, reversible: true, params };
}

describe('db step kinds (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let backups: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    backups = await mkdtemp(join(tmpdir(), 'baton-step-backups-'));
    // The machine's postgres trusts local connections and ignores the password: it is here only
    // so the tests can prove it never reaches results, checkpoints or progress lines.
    const url = new URL(s.url);
    url.password = PASSWORD;
    env = { APP_DB: url.href };
  });
  after(async () => {
    await s?.drop();
    await rm(backups, { recursive: true, force: true });
  });

  it('migrate applies the expand phase, checkpoints what it applies, and undo reverts it; no password is journaled', T, async () => {
    const kinds = createDbStepKinds({ env, analyze: keywordAnalyzer });
    const ctx = createTestRunContext();
    const planned = step('migrate', { db: { env: 'APP_DB' }, dir: demoMigrationsDir, phase: 'expand' });
    const result = await kinds.migrate!.run(ctx, planned);
    assert.equal(result.kind, 'done', JSON.stringify(result));
    assert.ok(result.kind === 'done');
    assert.deepEqual(
      ((result.data?.applied ?? []) as JsonObject[]).map((a) => a.version),
      [1, 2],
    );
    assert.deepEqual(ctx.recorded.at(-1)?.appliedVersions, [1, 2]);
    assert.ok(!JSON.stringify([result, ctx.recorded, ctx.progressLines]).includes(PASSWORD));

    await kinds.migrate!.undo!(ctx, planned, Object.assign({}, ...ctx.recorded) as JsonObject);
    const session = await target.dialect.connect(s.url);
    try {
      assert.ok(!(await target.dialect.listTables(session)).includes('users'));
      assert.equal(Number((await session.query('SELECT COUNT(*) AS n FROM baton_schema_migrations')).rows[0]?.n), 0);
    } finally {
      await session.close();
    }
  });

  it('backfill fills in batches; backup is verified by a restore; old-session gate waits for the old release', T, async () => {
    const kinds = createDbStepKinds({ env, analyze: keywordAnalyzer });
    const ctx = createTestRunContext();
    assert.equal(
      (await kinds.migrate!.run(ctx, step('migrate', { db: { env: 'APP_DB' }, dir: demoMigrationsDir, phase: 'expand' }))).kind,
      'done',
    );
    const app = await target.dialect.connect(s.url);
    try {
      await app.query(`INSERT INTO users (first_name, last_name) SELECT 'f' || g, 'l' || g FROM generate_series(1, 2500) g`);
      const filled = await kinds.backfill!.run(ctx, step('backfill', { db: { env: 'APP_DB' }, dir: demoMigrationsDir }));
      assert.equal(filled.kind, 'done', JSON.stringify(filled));
      assert.equal(filled.kind === 'done' && filled.data?.rowsDone, 2500);
      // 1000 rows first, then the batch size adapts to the measured lock time (up to double).
      const batches = filled.kind === 'done' ? Number(filled.data?.batches) : 0;
      assert.ok(batches >= 2 && batches <= 3, `batches ${batches}`);

      const backedUp = await kinds.backup!.run(ctx, step('backup', { db: { env: 'APP_DB' }, dir: backups }));
      assert.equal(backedUp.kind, 'done', JSON.stringify(backedUp));
      assert.equal(backedUp.kind === 'done' && backedUp.data?.verified, true);
      await stat(String(backedUp.kind === 'done' && backedUp.data?.path));
      assert.ok(!JSON.stringify([backedUp, ctx.recorded]).includes(PASSWORD));

      await target.dialect.declareRelease(app, 'web-v1');
      const gate = step('await-old-sessions-gone', { db: { env: 'APP_DB' }, releases: ['web-v1'], deadlineMs: 3000, pollMs: 1000 });
      const waiting = await kinds['await-old-sessions-gone']!.run(ctx, gate);
      assert.equal(waiting.kind, 'failed');
      assert.match(waiting.kind === 'failed' ? waiting.reason : '', /1 database session\(s\) of web-v1 still open/);
      await target.dialect.declareRelease(app, 'web-v2');
      assert.equal((await kinds['await-old-sessions-gone']!.run(ctx, gate)).kind, 'done');
    } finally {
      await app.close();
    }
  });

  it('refuses a URL with a password in params and names a missing env var', T, async () => {
    const kinds = createDbStepKinds({ env: {}, analyze: keywordAnalyzer });
    const ctx = createTestRunContext();
    const inline = await kinds.migrate!.run(
      ctx,
      step('migrate', { db: { value: `postgres://u:${PASSWORD}@127.0.0.1/x` }, dir: demoMigrationsDir }),
    );
    assert.equal(inline.kind, 'failed');
    assert.match(inline.kind === 'failed' ? inline.reason : '', /DB_URL_IN_PARAMS/);
    assert.ok(!JSON.stringify(inline).includes(PASSWORD));
    const missing = await kinds.backup!.run(ctx, step('backup', { db: { env: 'NOPE_DB' }, dir: backups }));
    assert.match(missing.kind === 'failed' ? missing.reason : '', /DB_URL_MISSING: environment variable NOPE_DB/);
  });
});
