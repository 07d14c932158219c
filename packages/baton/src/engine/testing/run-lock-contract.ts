import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunLock } from '../run-lock.js';
import { isBatonError } from '../../errors.js';

/**
 * The contract every RunLock passes (memory, file, the Kubernetes Lease lock): call it from the
 * implementation's test file. `make` returns two locks over the same store, as two processes
 * would see it.
 */
export function runLockContract(name: string, make: () => Promise<{ a: RunLock; b: RunLock; cleanup(): Promise<void> }>): void {
  const web = { app: 'web', namespace: 'prod' };

  test(`${name} (RunLock contract): one holder at a time, refusal names the holder`, { timeout: 10_000 }, async () => {
    const { a, b, cleanup } = await make();
    try {
      const held = await a.acquire(web, 'alice');
      await assert.rejects(b.acquire(web, 'bob'), (e) => isBatonError(e) && e.code === 'LOCKED' && e.message.includes('alice'));
      await held.renew();
      await assert.rejects(b.acquire(web, 'bob'), (e) => isBatonError(e) && e.code === 'LOCKED');
      await held.release();
      await held.release(); // twice is harmless
      const next = await b.acquire(web, 'bob');
      await next.release();
    } finally {
      await cleanup();
    }
  });

  test(`${name} (RunLock contract): inspect names the live holder, and nobody once released`, { timeout: 10_000 }, async () => {
    const { a, b, cleanup } = await make();
    try {
      assert.equal(await b.inspect(web), undefined);
      const held = await a.acquire(web, 'alice');
      const seen = await b.inspect(web);
      assert.equal(seen?.holder, 'alice');
      assert.equal(seen?.alive, true);
      assert.ok(typeof seen?.since === 'number' && seen.since > 0);
      await held.release();
      assert.equal(await b.inspect(web), undefined);
    } finally {
      await cleanup();
    }
  });

  test(`${name} (RunLock contract): apps and namespaces are independent`, { timeout: 10_000 }, async () => {
    const { a, b, cleanup } = await make();
    try {
      const one = await a.acquire(web, 'alice');
      const two = await b.acquire({ app: 'api', namespace: 'prod' }, 'bob');
      const three = await b.acquire({ app: 'web', namespace: 'staging' }, 'bob');
      await Promise.all([one.release(), two.release(), three.release()]);
    } finally {
      await cleanup();
    }
  });

  test(`${name} (RunLock contract): a released handle never releases the next holder's lock`, { timeout: 10_000 }, async () => {
    const { a, b, cleanup } = await make();
    try {
      const first = await a.acquire(web, 'alice');
      await first.release();
      const second = await b.acquire(web, 'bob');
      await first.release();
      await assert.rejects(a.acquire(web, 'carol'), (e) => isBatonError(e) && e.message.includes('bob'));
      await second.release();
    } finally {
      await cleanup();
    }
  });
}
