import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLockContract } from './testing/run-lock-contract.js';
import { MemoryLock } from './memory-lock.js';
import { FileLock } from './file-lock.js';

runLockContract('MemoryLock', async () => {
  const lock = new MemoryLock();
  return { a: lock, b: lock, cleanup: async () => undefined };
});

runLockContract('FileLock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-lock-contract-'));
  return { a: new FileLock({ dir }), b: new FileLock({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});
