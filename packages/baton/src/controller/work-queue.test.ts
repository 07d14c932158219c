import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.js';

test('a key is never processed twice at once, and a change during processing is processed after', async () => {
  const queue = new WorkQueue();
  const stop = new AbortController();
  const seen: string[] = [];
  let concurrentA = 0;
  let maxConcurrentA = 0;
  const running = queue.run(
    async (key) => {
      seen.push(key);
      if (key === 'a') {
        concurrentA += 1;
        maxConcurrentA = Math.max(maxConcurrentA, concurrentA);
        if (seen.filter((k) => k === 'a').length === 1) {
          queue.add('a');
          queue.add('a');
        }
        await new Promise((r) => setTimeout(r, 20));
        concurrentA -= 1;
      }
      if (seen.length >= 3) stop.abort();
    },
    { concurrency: 4, signal: stop.signal },
  );
  queue.add('a');
  queue.add('a');
  queue.add('b');
  await running;
  assert.equal(maxConcurrentA, 1);
  assert.deepEqual(seen.sort(), ['a', 'a', 'b']);
});

test('addAfter requeues once, later', async () => {
  const queue = new WorkQueue();
  const stop = new AbortController();
  const at: number[] = [];
  const began = Date.now();
  const running = queue.run(
    async () => {
      at.push(Date.now() - began);
      if (at.length === 2) stop.abort();
      else {
        queue.addAfter('k', 50);
        queue.addAfter('k', 50);
      }
    },
    { concurrency: 1, signal: stop.signal },
  );
  const keepAlive = setInterval(() => undefined, 10); // addAfter's timers are unref'd, as a controller's are
  queue.add('k');
  await running;
  clearInterval(keepAlive);
  assert.equal(at.length, 2);
  assert.ok(at[1]! >= 45, `second run after the delay: ${at.join(', ')}`);
});
