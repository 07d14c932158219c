import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLock } from './file-lock.js';
import { isBatonError } from '../errors.js';
import { RunLockedError } from './run-lock.js';

const target = { app: 'web', namespace: 'prod' };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-lock-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pid of a process that has exited (so is dead on this host). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

test('a held lock refuses a second holder, naming the holder and since when', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const lock = new FileLock({ dir, now: () => Date.parse('2026-01-02T03:04:05Z') });
    const handle = await lock.acquire(target, 'alice');
    await assert.rejects(lock.acquire(target, 'bob'), (e) => {
      assert.ok(e instanceof RunLockedError);
      assert.equal(e.code, 'LOCKED');
      assert.match(e.message, /prod\/web is locked by alice \(pid \d+ on .+\) since 2026-01-02T03:04:05.000Z/);
      return true;
    });
    // Another app is independent.
    const other = await lock.acquire({ app: 'api', namespace: 'prod' }, 'bob');
    await other.release();
    await handle.release();
    const again = await lock.acquire(target, 'bob');
    await again.release();
    assert.deepEqual(await readdir(join(dir, 'locks')), [], 'no lock file or temp file left');
  });
});

test('a lock whose pid is dead on this host is stale and taken over', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const pid = await deadPid();
    const dead = new FileLock({ dir, pid });
    await dead.acquire(target, 'crashed');
    const lock = new FileLock({ dir });
    const handle = await lock.acquire(target, 'resumer');
    assert.equal((await lock.inspect(target))?.holder, 'resumer');
    await handle.release();
  });
});

test('a lock from another host goes stale only when its heartbeat is older than the TTL', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    let now = 1_000_000;
    const remote = new FileLock({ dir, host: 'other-host', pid: 1, now: () => now });
    const remoteHandle = await remote.acquire(target, 'remote');
    const local = new FileLock({ dir, ttlMs: 30_000, now: () => now });
    now += 20_000;
    await assert.rejects(local.acquire(target, 'local'), (e) => isBatonError(e) && e.code === 'LOCKED');
    await remoteHandle.renew();
    now += 20_000; // 20 s after the renewal: still fresh
    await assert.rejects(local.acquire(target, 'local'), (e) => isBatonError(e) && e.code === 'LOCKED');
    now += 20_000; // 40 s after the renewal: stale
    const handle = await local.acquire(target, 'local');
    // The old holder learns it lost the lock and must not release the new one.
    await assert.rejects(remoteHandle.renew(), (e) => isBatonError(e) && e.code === 'LOCK_LOST');
    await remoteHandle.release();
    assert.equal((await local.inspect(target))?.holder, 'local');
    await handle.release();
  });
});

test('a live process on this host is never judged stale by pid', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const lock = new FileLock({ dir });
    const handle = await lock.acquire(target, 'me');
    await assert.rejects(new FileLock({ dir }).acquire(target, 'again'), (e) => isBatonError(e) && e.code === 'LOCKED');
    await handle.release();
  });
});

test('a fresh break file blocks a concurrent takeover; an old one is cleared', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const pid = await deadPid();
    await new FileLock({ dir, pid }).acquire(target, 'crashed');
    const lockPath = join(dir, 'locks', 'prod__web.lock');
    await writeFile(`${lockPath}.break`, '');
    await assert.rejects(new FileLock({ dir }).acquire(target, 'x'), (e) => isBatonError(e) && /taking over/.test(e.message));
    const later = new FileLock({ dir, now: () => Date.now() + 60_000 });
    const handle = await later.acquire(target, 'x');
    assert.equal(JSON.parse(await readFile(lockPath, 'utf8')).holder, 'x');
    await handle.release();
  });
});

test('renewal waits for a breaker holding the guard instead of writing over it', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    let now = Date.now();
    const lock = new FileLock({ dir, now: () => now });
    const handle = await lock.acquire(target, 'me');
    const lockPath = join(dir, 'locks', 'prod__web.lock');
    const before = JSON.parse(await readFile(lockPath, 'utf8')).heartbeat;
    await writeFile(`${lockPath}.break`, '');
    now += 5000;
    await handle.renew(); // skipped: the heartbeat is not touched while the guard is held
    assert.equal(JSON.parse(await readFile(lockPath, 'utf8')).heartbeat, before);
    await rm(`${lockPath}.break`);
    await handle.renew();
    assert.equal(JSON.parse(await readFile(lockPath, 'utf8')).heartbeat, now);
    await handle.release();
    await assert.rejects(handle.renew(), (e) => isBatonError(e) && e.code === 'LOCK_LOST');
  });
});

test('an unreadable lock file is respected until it is older than the TTL', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const lock = new FileLock({ dir });
    const first = await lock.acquire(target, 'first');
    await first.release();
    await writeFile(join(dir, 'locks', 'prod__web.lock'), '{"holder":');
    await assert.rejects(lock.acquire(target, 'x'), (e) => isBatonError(e) && e.code === 'LOCKED');
    const later = new FileLock({ dir, ttlMs: 1000, now: () => Date.now() + 5000 });
    const handle = await later.acquire(target, 'x');
    await handle.release();
  });
});

test('two acquirers racing for a stale lock: exactly one wins', { timeout: 10000 }, async () => {
  await withDir(async (dir) => {
    const pid = await deadPid();
    for (let round = 0; round < 20; round += 1) {
      await new FileLock({ dir, pid }).acquire(target, 'crashed');
      const results = await Promise.allSettled([
        new FileLock({ dir }).acquire(target, 'a'),
        new FileLock({ dir }).acquire(target, 'b'),
        new FileLock({ dir }).acquire(target, 'c'),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, `round ${round}: ${won.length} winners`);
      const lost = results.filter((r) => r.status === 'rejected');
      for (const r of lost) assert.ok(isBatonError((r as PromiseRejectedResult).reason));
      await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    }
  });
});
