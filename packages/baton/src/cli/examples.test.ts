import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../plan/build-plan.js';
import { databaseSteps } from '../upgrade/database-steps.js';
import { loadRelease } from '../spec/load-release.js';
import { runCli } from './main.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const empty = { objects: {}, deployments: [], service: undefined, currentHash: {}, history: [] };

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    cwd: root,
    env: {},
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

async function planOf(example: string) {
  const { inputs } = await loadRelease(join(root, 'examples', example, 'baton.yaml'));
  const database = await databaseSteps(
    { spec: inputs.spec, migrations: inputs.migrations, backupDir: inputs.backupDir ?? '.baton/backups' },
    { env: {}, fromVersion: undefined, toVersion: 'x' },
  );
  return buildPlan({ spec: inputs.spec, manifests: inputs.manifests, live: empty, ...(database ? { database } : {}) });
}

for (const example of ['castopod', 'matomo']) {
  test(`examples/${example} passes baton check (exit 0)`, { timeout: 60_000 }, async () => {
    const { code, out } = await cli(['check', '--spec', `examples/${example}/baton.yaml`]);
    assert.equal(code, 0, out);
    assert.doesNotMatch(out, / error /);
  });
}

test('examples/castopod plans as the seed did it: backup first, rolling 0/1, the three exec checks', async () => {
  const plan = await planOf('castopod');
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    [
      'backup',
      'config:snapshot',
      'apply:objects',
      'rollout:app',
      'analysis:probe',
      'verify:migrate-status',
      'verify:cache-clear',
      'verify:redis-flush',
      'release:record',
    ],
  );
  assert.equal(plan.steps[0]!.kind, 'exec-backup');
  assert.deepEqual(plan.to, { version: '1.13.8', image: 'castopod/castopod:1.13.8' });
});

test("examples/matomo plans the seed's maintenance sequence with the migration as the point of no return", async () => {
  const plan = await planOf('matomo');
  // The backup runs in maintenance mode, right before the migration: nothing writes meanwhile.
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    [
      'config:snapshot',
      'apply:objects',
      'maintenance:new:matomo',
      'backup',
      'maintenance:migrate',
      'maintenance:off:matomo',
      'verify:system-check',
      'release:record',
    ],
  );
  assert.equal(plan.steps.find((s) => s.id === 'maintenance:migrate')!.reversible, false);
});

test("baton check rejects the seed's naive RENAME COLUMN with the expand/contract hint", { timeout: 60_000 }, async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'baton-check-'));
  try {
    await writeFile(join(dir, '0001_rename.sql'), 'ALTER TABLE users RENAME COLUMN name TO full_name;\n');
    const { code, out } = await cli(['check', '--migrations', dir, '--output', 'json']);
    assert.equal(code, 1);
    const parsed = JSON.parse(out) as { findings: Array<{ ruleId: string; hint: string }> };
    const rename = parsed.findings.find((f) => f.ruleId === 'rename-column');
    assert.ok(rename, out);
    assert.match(rename.hint, /expand|contract|three/i);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad input: a broken baton.yaml is exit 2 with file:line, nothing else runs', async () => {
  const { code, err } = await cli(['plan', '--spec', 'packages/baton/src/cli/testdata/broken-baton.yaml', '--kubeconfig', '/nonexistent']);
  assert.equal(code, 2, err);
  assert.match(err, /broken-baton\.yaml:\d+:\d+/);
});

test('--help tells every command', async () => {
  const { code, out } = await cli(['--help']);
  assert.equal(code, 0);
  for (const command of [
    'plan',
    'diff',
    'upgrade',
    'resume',
    'abort',
    'promote',
    'rollback',
    'releases',
    'status',
    'report',
    'check',
    'probe',
    'schema',
    'demo',
  ])
    assert.match(out, new RegExp(`\\n  ${command}\\b`));
  assert.match(out, /Exit codes:/);
});
