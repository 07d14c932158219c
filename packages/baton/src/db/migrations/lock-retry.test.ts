import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withLockRetry } from './lock-retry.js';

const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });

describe('withLockRetry', () => {
  it('retries lock timeouts with growing, jittered waits and then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await withLockRetry(
      async () => {
        if (++calls < 4) throw lockTimeout;
        return 'ok';
      },
      { retries: 5, baseDelayMs: 100, maxDelayMs: 300 },
      { isLockTimeout: (e) => e === lockTimeout, delay: async (ms) => void waits.push(ms), random: () => 1 },
    );
    assert.equal(value, 'ok');
    assert.deepEqual(waits, [100, 200, 300]);
  });

  it('gives up after the last retry, and never retries other errors', async () => {
    let calls = 0;
    await assert.rejects(
      withLockRetry(
        async () => {
          calls++;
          throw lockTimeout;
        },
        { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
        { isLockTimeout: () => true, delay: async () => undefined },
      ),
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      withLockRetry(
        async () => {
          calls++;
          throw new Error('syntax');
        },
        { retries: 5, baseDelayMs: 1, maxDelayMs: 1 },
        { isLockTimeout: (e) => e === lockTimeout, delay: async () => undefined },
      ),
      /syntax/,
    );
    assert.equal(calls, 1);
  });
});
