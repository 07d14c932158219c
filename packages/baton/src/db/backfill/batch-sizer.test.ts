import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextBatchSize } from './batch-sizer.js';

const limits = { targetLockMs: 40, maxLockMs: 100, minLockMs: 10, min: 10, max: 100_000 };

test('batch size grows toward the target lock time, at most fourfold, and backs off by half', () => {
  assert.equal(nextBatchSize(1000, { keys: 1000, lockMs: 2 }, limits), 4000, 'fast batch: fourfold, no more');
  assert.equal(nextBatchSize(4000, { keys: 4000, lockMs: 32 }, limits), 5000, 'near target: the size that holds 40 ms');
  assert.equal(nextBatchSize(8000, { keys: 8000, lockMs: 160 }, limits), 2000, 'over the 100 ms limit: the target size, at most half');
  assert.equal(nextBatchSize(8000, { keys: 8000, lockMs: 20, lockTimedOut: true }, limits), 4000, 'lock wait timed out: halve');
  assert.equal(
    nextBatchSize(8000, { keys: 8000, lockMs: 20, appP99Ms: 12, maxAppP99Ms: 9 }, limits),
    4000,
    'app p99 over its limit: halve',
  );
  assert.equal(
    nextBatchSize(8000, { keys: 8000, lockMs: 20, appP99Ms: 5, maxAppP99Ms: 9 }, limits),
    16_000,
    'app p99 fine: grow to the target size',
  );
  assert.equal(
    nextBatchSize(2000, { keys: 2000, lockMs: 16, appP99Ms: 12, maxAppP99Ms: 9 }, limits),
    1250,
    'app p99 over: not below the 10 ms size',
  );
  assert.equal(nextBatchSize(1250, { keys: 1250, lockMs: 10, appP99Ms: 12, maxAppP99Ms: 9 }, limits), 1250, 'at the floor it stays');
  assert.equal(nextBatchSize(12, { keys: 12, lockMs: 500 }, limits), 10, 'never below min');
  assert.equal(nextBatchSize(90_000, { keys: 90_000, lockMs: 1 }, limits), 100_000, 'never above max');
  assert.equal(nextBatchSize(1000, { keys: 1000, lockMs: 5 }, limits), 4000, 'fast: fourfold');
});
