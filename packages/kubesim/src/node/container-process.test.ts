import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerProcess } from './container-process.js';

import { readFileSync } from 'node:fs';

// A killed orphan may linger as a zombie until init reaps it; zombies are dead.
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('runs in its own group, collects output, kills children when main exits', { timeout: 10_000 }, async () => {
  let out = '';
  const r = await startContainerProcess({
    file: '/bin/sh',
    argv: ['sh', '-c', 'sleep 30 & echo child=$!; echo hi >&2; exit 3'],
    cwd: '/tmp',
    env: { PATH: '/usr/bin:/bin' },
    onOutput: (_s, c) => {
      out += c.toString();
    },
  });
  assert.equal(r.kind, 'started');
  if (r.kind !== 'started') return;
  const exit = await r.process.exited;
  assert.equal(exit.exitCode, 3);
  const child = Number(/child=(\d+)/.exec(out)?.[1]);
  assert.ok(child > 0);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(alive(child), false, 'background child must die with the container');
  assert.match(out, /hi/);
});

test('SIGTERM gives 128+15; bad cwd fails to start', { timeout: 10_000 }, async () => {
  const r = await startContainerProcess({ file: '/bin/sleep', argv: ['sleep', '30'], cwd: '/tmp', env: {}, onOutput: () => {} });
  assert.equal(r.kind, 'started');
  if (r.kind !== 'started') return;
  r.process.signal('SIGTERM');
  assert.equal((await r.process.exited).exitCode, 143);
  const bad = await startContainerProcess({
    file: '/bin/sleep',
    argv: ['sleep', '1'],
    cwd: '/nonexistent-dir',
    env: {},
    onOutput: () => {},
  });
  assert.equal(bad.kind, 'failed');
});

test('SIGTERM reaches the main process only; SIGKILL takes the group', { timeout: 10_000 }, async () => {
  let out = '';
  const r = await startContainerProcess({
    file: '/bin/sh',
    argv: ['sh', '-c', 'trap "echo term; exit 0" TERM; sleep 30 & echo child=$!; wait'],
    cwd: '/tmp',
    env: { PATH: '/usr/bin:/bin' },
    onOutput: (_s, c) => {
      out += c.toString();
    },
  });
  assert.equal(r.kind, 'started');
  if (r.kind !== 'started') return;
  while (!/child=\d+/.test(out)) await new Promise((res) => setTimeout(res, 20));
  const child = Number(/child=(\d+)/.exec(out)?.[1]);
  r.process.signal('SIGTERM');
  const exit = await r.process.exited;
  assert.equal(exit.exitCode, 0);
  assert.match(out, /term/);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(alive(child), false, 'the group is SIGKILLed once the main process exits');
});
