import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTask, TaskTracker } from './worker-tasks.js';

test('parseTask reads {ms}, a bare number, and treats garbage as a zero-length task', () => {
  assert.deepEqual(parseTask('{"ms": 1500}'), { ms: 1500 });
  assert.deepEqual(parseTask(' 250 '), { ms: 250 });
  assert.deepEqual(parseTask('nope'), { ms: 0 });
  assert.deepEqual(parseTask('{"ms": -3}'), { ms: 0 });
});

test('TaskTracker counts running tasks, reports each change, and idle() waits for the last one', async () => {
  const seen: number[] = [];
  const tracker = new TaskTracker((n) => seen.push(n));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const a = tracker.run({ ms: 0 }, () => gate);
  const b = tracker.run({ ms: 0 }, () => gate);
  assert.equal(tracker.activeCount, 2);
  let idle = false;
  const waiting = tracker.idle().then(() => {
    idle = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'idle while tasks run');
  release();
  await Promise.all([a, b, waiting]);
  assert.equal(idle, true);
  assert.deepEqual(seen, [1, 2, 1, 0]);
});
