import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { LockHolder, LockTarget, RunLock, RunLockHandle } from './run-lock.js';
import { RunLockedError, lockLostError } from './run-lock.js';
import { syncDirectory, writeFileAtomic } from './atomic-write.js';

export interface FileLockOptions {
  /** Lock files go to `<dir>/locks/`. */
  dir: string;
  /** A holder whose heartbeat is older than this is presumed dead. Default 60 s. */
  ttlMs?: number;
  now?: () => number;
  /** Defaults to this machine's; injectable so tests can play another host. */
  host?: string;
  pid?: number;
  /** Defaults to `process.kill(pid, 0)`. */
  isPidAlive?: (pid: number) => boolean;
}

/** What a lock file holds. */
export interface FileLockInfo {
  holder: string;
  pid: number;
  host: string;
  since: number;
  heartbeat: number;
  /** Tells this acquisition apart from any other, including the same holder's earlier ones. */
  token: string;
}

/** How long a guard file left by a crash (see `guard`) blocks others before it is itself stale. */
const breakTtlMs = 10_000;

/**
 * A RunLock for one machine (or a shared filesystem with honest clocks): an O_EXCL lock file
 * holding pid, host and a heartbeat. It is stale when its pid is dead on this host, or its
 * heartbeat is older than the TTL (another host, or a hung process). Breaking a stale lock goes
 * through a second O_EXCL file so two breakers cannot both win.
 */
export class FileLock implements RunLock {
  private readonly dir: string;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly host: string;
  private readonly pid: number;
  private readonly isPidAlive: (pid: number) => boolean;

  constructor(options: FileLockOptions) {
    this.dir = join(options.dir, 'locks');
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.host = options.host ?? hostname();
    this.pid = options.pid ?? process.pid;
    this.isPidAlive = options.isPidAlive ?? pidAlive;
  }

  async acquire(target: LockTarget, holder: string): Promise<RunLockHandle> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(target);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const info: FileLockInfo = {
        holder,
        pid: this.pid,
        host: this.host,
        since: this.now(),
        heartbeat: this.now(),
        token: randomBytes(8).toString('hex'),
      };
      if (await this.tryCreate(path, info)) return this.handle(target, path, info);
      const current = await readInfo(path);
      if (current === 'missing') continue; // released between our attempt and the read
      if (current === 'unreadable') {
        // A holder mid-write, or a crash mid-write: trust it until its file is older than the TTL.
        if (!(await this.olderThan(path, this.ttlMs))) throw new RunLockedError(target, 'unknown (lock file being written)', this.now());
        await this.breakStale(target, path, undefined);
        continue;
      }
      if (!this.isStale(current)) throw new RunLockedError(target, describe(current), current.since);
      await this.breakStale(target, path, current.token);
    }
    throw new RunLockedError(target, 'unknown (contended)', this.now());
  }

  /** The lock's current content, if any, and whether its holder is alive (not stale). */
  async inspect(target: LockTarget): Promise<(FileLockInfo & LockHolder) | undefined> {
    const info = await readInfo(this.pathOf(target));
    return typeof info === 'string' ? undefined : { ...info, alive: !this.isStale(info) };
  }

  private isStale(info: FileLockInfo): boolean {
    if (info.host === this.host && !this.isPidAlive(info.pid)) return true;
    return this.now() - info.heartbeat > this.ttlMs;
  }

  private async tryCreate(path: string, info: FileLockInfo): Promise<boolean> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(info));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await syncDirectory(this.dir);
    return true;
  }

  /** Removes a stale lock file, but only the one judged stale (same token), under the guard. */
  private async breakStale(target: LockTarget, path: string, token: string | undefined): Promise<void> {
    const done = await this.guard(path);
    if (done === undefined) throw new RunLockedError(target, 'another process taking over a stale lock', this.now());
    try {
      const again = await readInfo(path);
      const sameStale = token === undefined ? again === 'unreadable' : typeof again === 'object' && again.token === token;
      if (sameStale) await rm(path, { force: true });
    } finally {
      await done();
    }
  }

  /**
   * Takes `<lock>.break`, an O_EXCL file that serializes every check-then-write on a lock file
   * (break, renew, release): without it, a holder renewing just as a breaker removes its "stale"
   * file would rename its own file back over the breaker's new one, and both would hold the lock.
   * `undefined` when someone else holds it; one left by a crash only counts while it is fresh.
   */
  private async guard(path: string): Promise<(() => Promise<void>) | undefined> {
    const breakPath = `${path}.break`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await (await open(breakPath, 'wx', 0o644)).close();
        return async () => {
          await rm(breakPath, { force: true });
          await syncDirectory(this.dir);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (!(await this.olderThan(breakPath, breakTtlMs))) return undefined;
        await rm(breakPath, { force: true });
      }
    }
    return undefined;
  }

  private handle(target: LockTarget, path: string, info: FileLockInfo): RunLockHandle {
    let released = false;
    return {
      renew: async () => {
        if (released) throw lockLostError(target, info.holder);
        const done = await this.guard(path);
        // Someone is judging this lock right now: skip this beat; the next one learns the verdict.
        if (done === undefined) return;
        try {
          const current = await readInfo(path);
          if (typeof current === 'string' || current.token !== info.token) throw lockLostError(target, info.holder);
          await writeFileAtomic(path, JSON.stringify({ ...current, heartbeat: this.now() }));
        } finally {
          await done();
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        const done = await this.guard(path);
        // A breaker holds the guard: it removes this lock itself if it is still ours.
        if (done === undefined) return;
        try {
          const current = await readInfo(path);
          if (typeof current === 'object' && current.token === info.token) await rm(path, { force: true });
        } finally {
          await done();
        }
      },
    };
  }

  private async olderThan(path: string, ms: number): Promise<boolean> {
    try {
      return this.now() - (await stat(path)).mtimeMs > ms;
    } catch {
      return true;
    }
  }

  private pathOf(target: LockTarget): string {
    return join(this.dir, `${safeName(target.namespace)}__${safeName(target.app)}.lock`);
  }
}

async function readInfo(path: string): Promise<FileLockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<FileLockInfo>;
    if (typeof value.token !== 'string' || typeof value.pid !== 'number' || typeof value.heartbeat !== 'number') {
      return 'unreadable';
    }
    return value as FileLockInfo;
  } catch {
    return 'unreadable';
  }
}

function describe(info: FileLockInfo): string {
  return `${info.holder} (pid ${info.pid} on ${info.host})`;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
