import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackOff } from './back-off.js';

test('immediate, then doubling to the cap, reset after a long run', () => {
  const b = new BackOff();
  const seq = Array.from({ length: 8 }, () => b.next(1000));
  assert.deepEqual(seq, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.next(600_000), 0);
  assert.equal(b.next(1), 10_000);
});

test('image pull back-off waits from the first failure', () => {
  const b = new BackOff({ initialMs: 100, maxMs: 300, immediateFirst: false });
  assert.deepEqual([b.next(0), b.next(0), b.next(0), b.next(0)], [100, 200, 300, 300]);
});
