// examples/ as a user runs them: copied unchanged, on kubesim with examples/kubesim/images.yaml
// (stand-ins for the real images, since kubesim's pods are local processes). First `baton plan`
// on a cluster that lacks what the example needs (it must name it, change nothing, exit 2), then
// the "before" release installed with kubectl as its README says, then `baton upgrade` end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '@baton/kubesim';
import { assertOutputKind } from './testing/output-schemas.js';
import { runProcess } from './testing/run-process.js';
import { withDatabase } from '../db/connection-url.js';
import { machineTarget } from '../db/testing/db-targets.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const baton = join(root, 'packages/baton/bin/baton.js');

let cluster: Cluster;
let work: string;
let kubeconfig: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'baton-examples-'));
  await cp(join(root, 'examples'), join(work, 'examples'), { recursive: true });
  kubeconfig = join(work, 'kubeconfig');
  cluster = await startCluster({ images: join(work, 'examples/kubesim/images.yaml'), propagationDelayMs: 500 });
  await writeFile(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
});

after(async () => {
  await cluster?.stop();
  await rm(work, { recursive: true, force: true });
});

const run = (command: string, args: string[]) => runProcess(command, args, { cwd: work, env: { ...process.env, KUBECONFIG: kubeconfig } });

const kubectl = async (...args: string[]): Promise<string> => {
  const { code, stdout, stderr } = await run('kubectl', args);
  assert.equal(code, 0, `kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
};

interface UpgradeJson {
  status: string;
  summary: { rows: Array<{ metric: string; raw?: number; of?: number; value: string }> };
}

function figure(result: UpgradeJson, metric: string): { raw?: number; of?: number; value: string } {
  const row = result.summary.rows.find((r) => r.metric === metric);
  assert.ok(row, `report has ${metric}`);
  return row;
}

test('examples/castopod: plan names the missing namespace; installed as shipped, it upgrades with no listener dropped', {
  timeout: 240_000,
}, async () => {
  const spec = 'examples/castopod/baton.yaml';
  const refused = await run('node', [baton, 'plan', '--spec', spec]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /Namespace\/kastaspuods .*kubectl create namespace kastaspuods/);

  await kubectl('create', 'namespace', 'kastaspuods');
  const noSecret = await run('node', [baton, 'plan', '--spec', spec]);
  assert.equal(noSecret.code, 2, noSecret.stderr);
  assert.match(noSecret.stderr, /Deployment\/borgmatic \(needed by the backup/);
  assert.match(noSecret.stderr, /Secret\/castopod-db \(needed by the pods of Deployment\/app\)/);
  assert.equal((await kubectl('get', 'deployments', '-n', 'kastaspuods', '-o', 'name')).trim(), '', 'a refused plan changed nothing');

  await kubectl('create', 'secret', 'generic', 'castopod-db', '-n', 'kastaspuods', '--from-literal=password=example-only');
  await kubectl('apply', '-n', 'kastaspuods', '-f', 'examples/castopod/k8s/');
  await kubectl('rollout', 'status', '-n', 'kastaspuods', 'deployment/app', '--timeout=90s');
  await kubectl('rollout', 'status', '-n', 'kastaspuods', 'deployment/borgmatic', '--timeout=90s');
  await kubectl('rollout', 'status', '-n', 'kastaspuods', 'deployment/redis', '--timeout=90s');

  const { code, stdout, stderr } = await run('node', [
    baton,
    'upgrade',
    '--spec',
    spec,
    '--state-dir',
    join(work, 'state'),
    '--output',
    'json',
  ]);
  assert.equal(code, 0, `${stderr.slice(-3000)}\n${stdout.slice(0, 4000)}`);
  const result = JSON.parse(stdout) as UpgradeJson;
  assertOutputKind(result, 'RunOutcome');
  assert.equal(result.status, 'succeeded');
  assert.equal(figure(result, 'failed-requests').raw, 0);
  assert.ok((figure(result, 'failed-requests').of ?? 0) > 500);
  assert.equal(figure(result, 'streams-cut').raw, 0, 'no episode download was cut');
  assert.ok((figure(result, 'streams-cut').of ?? 0) > 0, 'episodes were streamed during the upgrade');
  assert.match(figure(result, 'backup-size').value, /\d/, 'the borgmatic backup size was read from its output');
  const image = await kubectl('get', 'deployment', 'app', '-n', 'kastaspuods', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
  assert.equal(image, 'castopod/castopod:1.13.8');
});

test('examples/matomo: installed as shipped, it migrates in maintenance mode against the real MariaDB', { timeout: 240_000 }, async () => {
  // The machine's MariaDB (a missing server fails here, naming it).
  const mariadb = await machineTarget('mariadb');
  // The example's app reads the database Matomo's image defaults to (MATOMO_DATABASE_DBNAME,
  // default "matomo"), as shipped; the test owns that database for its duration.
  const database = 'matomo';
  await mariadb.dialect.dropDatabase(mariadb.adminUrl, database).catch(() => undefined);
  await mariadb.dialect.createDatabase(mariadb.adminUrl, database);
  const scratch = { url: withDatabase(mariadb.adminUrl, database), drop: () => mariadb.dialect.dropDatabase(mariadb.adminUrl, database) };
  try {
    await kubectl('create', 'namespace', 'analytics');
    await kubectl(
      'create',
      'secret',
      'generic',
      'matomo-db',
      '-n',
      'analytics',
      '--from-literal=password=',
      `--from-literal=url=mysql://root@127.0.0.1:3306/${database}`,
    );
    await kubectl('apply', '-n', 'analytics', '-f', 'examples/matomo/k8s/');
    await kubectl('rollout', 'status', '-n', 'analytics', 'deployment/matomo', '--timeout=90s');

    const { code, stdout, stderr } = await run('node', [
      baton,
      'upgrade',
      '--spec',
      'examples/matomo/baton.yaml',
      '--state-dir',
      join(work, 'state'),
      '--output',
      'json',
    ]);
    assert.equal(code, 0, `${stderr.slice(-3000)}\n${stdout.slice(0, 4000)}`);
    const result = JSON.parse(stdout) as UpgradeJson;
    assertOutputKind(result, 'RunOutcome');
    assert.equal(result.status, 'succeeded');
    assert.equal(figure(result, 'failed-requests').raw, 0);
    assert.match(figure(result, 'backup-size').value, /restore verified/);
    // The stand-in console's core:update ran inside a 5.1.2 pod, in maintenance mode, on the database.
    const session = await mariadb.dialect.connect(scratch.url);
    try {
      const rows = await session.query('SELECT option_value FROM matomo_option WHERE option_name = ?', ['version_core']);
      assert.deepEqual(rows.rows, [{ option_value: '5.1.2' }]);
    } finally {
      await session.close();
    }
  } finally {
    await scratch.drop();
  }
});
