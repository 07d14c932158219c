import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.js';

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, {
    cwd: '/',
    env: {},
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    signal: new AbortController().signal,
  });
  return { code, err };
}

test('baton demo stop with no kept demo says so (exit 2) and touches nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-demo-stop-'));
  try {
    const { code, err } = await cli(['demo', 'stop', '--state-dir', dir]);
    assert.equal(code, 2, err);
    assert.match(err, /no demo is running from .*`baton demo --keep`/s);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('baton demo stop ends the process a kept demo recorded, and removes its files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-demo-stop-'));
  // A stand-in for the kept demo: a process that exits on SIGTERM, as the demo does.
  const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000)'], {
    stdio: 'ignore',
  });
  try {
    await writeFile(join(dir, 'demo.json'), JSON.stringify({ pid: child.pid, kubeconfig: '/x', spec: '/y', runId: 'r' }), { mode: 0o600 });
    await writeFile(join(dir, 'demo.env'), 'export KUBECONFIG=/x\n', { mode: 0o600 });
    const exited = new Promise((done) => child.once('exit', done));
    const { code, err } = await cli(['demo', 'stop', '--state-dir', dir]);
    assert.equal(code, 0, err);
    await exited;
    assert.match(err, /demo stopped/);
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown demo action is refused', async () => {
  const { code, err } = await cli(['demo', 'start-over']);
  assert.equal(code, 2);
  assert.match(err, /unknown demo action "start-over"/);
});

test('a kept demo whose process is gone is cleaned up', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-demo-stop-'));
  try {
    await writeFile(join(dir, 'demo.json'), JSON.stringify({ pid: 2 ** 22 + 12345, kubeconfig: '/x', spec: '/y', runId: 'r' }));
    const { code, err } = await cli(['demo', 'stop', '--state-dir', dir]);
    assert.equal(code, 0, err);
    assert.match(err, /not running any more/);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
