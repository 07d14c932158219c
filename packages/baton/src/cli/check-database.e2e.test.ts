// The real `baton check --database` (dist/cli/bin.js as a child process, argv arrays) against the
// machine's PostgreSQL (127.0.0.1:5432): one scratch database for the file, dropped afterwards.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { machineTarget, scratchDatabase, type ScratchDatabase } from '../db/testing/db-targets.js';
import { exitCodes } from './exit-codes.js';
import { runProcess } from './testing/run-process.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), 'bin.js');
const T = { timeout: 60_000 };
const stackLine = /^\s+at .+:\d+:\d+\)?$/m;

describe('baton check --database (the CLI, postgres 127.0.0.1:5432)', () => {
  let s: ScratchDatabase;
  let dir: string;
  before(async () => {
    const target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    const q = await target.dialect.connect(s.url);
    try {
      await q.query('CREATE TABLE users (id int PRIMARY KEY, email varchar(20))');
      await q.query("INSERT INTO users VALUES (1, 'a'), (2, 'b')");
      await q.query('ANALYZE users');
    } finally {
      await q.close();
    }
    dir = await mkdtemp(join(tmpdir(), 'baton-check-db-'));
    await mkdir(join(dir, 'migrations'));
    await mkdir(join(dir, 'k8s'));
    await writeFile(join(dir, 'migrations', '0001_idx.sql'), '-- baton: phase=expand\nCREATE INDEX users_email ON users (email);\n');
    await writeFile(
      join(dir, 'k8s', 'app.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n',
    );
  });
  after(async () => {
    await s?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const baton = (args: string[], env: Record<string, string> = {}) =>
    runProcess(process.execPath, [bin, 'check', ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', KUBECONFIG: join(dir, 'no-kubeconfig'), ...env },
    });

  it('a small table: the lock finding is info with the measured size, exit 0; json carries the live figures', T, async () => {
    const text = await baton(['--migrations', 'migrations', '--database', s.url]);
    assert.equal(text.code, exitCodes.ok, text.stderr);
    assert.match(text.stdout, /info\s+create-index-concurrently .*table users has ~2 rows, \d+ kB/);

    const json = await baton(['--migrations', 'migrations', '--database', s.url, '-o', 'json']);
    assert.equal(json.code, exitCodes.ok, json.stderr);
    const [finding] = (JSON.parse(json.stdout) as { findings: { ruleId: string; live?: { table: string; rowEstimate: number } }[] })
      .findings;
    assert.equal(finding?.ruleId, 'create-index-concurrently');
    assert.deepEqual([finding?.live?.table, finding?.live?.rowEstimate], ['users', 2]);
  });

  it('--small-table-rows 1 makes it big: an error with the size, exit 1', T, async () => {
    const { code, stdout, stderr } = await baton(['--migrations', 'migrations', '--database', s.url, '--small-table-rows', '1']);
    assert.equal(code, exitCodes.failed, stderr);
    assert.match(stdout, /error\s+create-index-concurrently .*\(live: table users has ~2 rows, \d+ kB\)/);
  });

  it('--database alone takes database.url from --spec ({env: NAME}), resolved from the environment as plan does', T, async () => {
    await writeFile(
      join(dir, 'baton.yaml'),
      'apiVersion: baton.dev/v1alpha1\nkind: Upgrade\napp: web\nnamespace: shop\nmanifests: [k8s/]\nimage: { ref: "shop/web:v2" }\ndatabase: { dialect: postgres, url: { env: APP_DB }, migrations: { dir: migrations } }\n',
    );
    await writeFile(join(dir, 'migrations', '0002_bad.sql'), '-- baton: phase=contract\nALTER TABLE users DROP COLUMN nickname;\n');
    try {
      const { code, stdout, stderr } = await baton(['--spec', 'baton.yaml', '--database', '-o', 'json'], { APP_DB: s.url });
      assert.equal(code, exitCodes.failed, stderr);
      const ids = (JSON.parse(stdout) as { findings: { ruleId: string; message: string }[] }).findings.map((f) => f.ruleId);
      assert.ok(ids.includes('live-schema-mismatch'), ids.join(', '));
      // Without --database, check stays offline: the spec's URL is not even resolved.
      const offline = await baton(['--spec', 'baton.yaml', '-o', 'json']);
      assert.equal(offline.stderr, '');
      const offlineIds = (JSON.parse(offline.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
      assert.ok(offlineIds.includes('create-index-concurrently') && !offlineIds.includes('live-schema-mismatch'), offlineIds.join(', '));
      const unset = await baton(['--spec', 'baton.yaml', '--database']);
      assert.equal(unset.code, exitCodes.invalidInput, unset.stderr);
      assert.match(unset.stderr, /environment variable APP_DB is not set/);
    } finally {
      await rm(join(dir, 'migrations', '0002_bad.sql'));
    }
  });

  it('--database with a Secret ref and no cluster: exit 5, naming the Secret and saying to pass --database URL', T, async () => {
    await writeFile(
      join(dir, 'secret.yaml'),
      'apiVersion: baton.dev/v1alpha1\nkind: Upgrade\napp: web\nnamespace: shop\nmanifests: [k8s/]\nimage: { ref: "shop/web:v2" }\ndatabase: { dialect: postgres, url: { secret: { name: app-db, key: url } }, migrations: { dir: migrations } }\n',
    );
    const { code, stderr } = await baton(['--spec', 'secret.yaml', '--database']);
    assert.equal(code, exitCodes.unreachable, stderr);
    assert.match(stderr, /database\.url is Secret shop\/app-db key url, and reading it needs the cluster[\s\S]*hint: pass --database URL/);
    assert.doesNotMatch(stderr, stackLine);
  });

  it('an unreachable database: exit 5, what failed and how to fix it, no stack trace, no finding', T, async () => {
    const { code, stdout, stderr } = await baton(['--migrations', 'migrations', '--database', 'postgres://postgres@127.0.0.1:1/app']);
    assert.equal(code, exitCodes.unreachable, stderr);
    assert.match(stderr, /error: cannot reach postgres at 127\.0\.0\.1:1[\s\S]*hint: check that the postgres server is running/);
    assert.doesNotMatch(stderr, stackLine);
    assert.equal(stdout, '');
  });

  it('a URL that is not a database URL: exit 2, and the password is not echoed', T, async () => {
    const { code, stderr } = await baton(['--migrations', 'migrations', '--database', 'http://u:hunter2@127.0.0.1/db']);
    assert.equal(code, exitCodes.invalidInput, stderr);
    assert.match(stderr, /unsupported database URL scheme "http:"/);
    assert.doesNotMatch(stderr, /hunter2/);
    assert.doesNotMatch(stderr, stackLine);
  });
});
