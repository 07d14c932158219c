import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

test('baton works as a kubectl plugin: `kubectl baton --help` (kubectl-baton on PATH after npm ci)', () => {
  const result = spawnSync('kubectl', ['baton', '--help'], {
    env: { ...process.env, PATH: `${resolve(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.error, undefined, 'kubectl (v1.32, Debian package kubectl) must be installed: .ci/run installs it');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Usage: baton/);
  assert.match(result.stdout, /upgrade/);
});
