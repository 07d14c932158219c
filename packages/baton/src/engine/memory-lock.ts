import type { LockHolder, LockTarget, RunLock, RunLockHandle } from './run-lock.js';
import { RunLockedError } from './run-lock.js';

/** A RunLock inside one process: for tests and embedding. Holders never go stale. */
export class MemoryLock implements RunLock {
  private readonly held = new Map<string, { holder: string; since: number; token: object }>();
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  async acquire(target: LockTarget, holder: string): Promise<RunLockHandle> {
    const key = `${target.namespace}/${target.app}`;
    const current = this.held.get(key);
    if (current !== undefined) throw new RunLockedError(target, current.holder, current.since);
    const token = {};
    this.held.set(key, { holder, since: this.now(), token });
    return {
      renew: async () => undefined,
      release: async () => {
        if (this.held.get(key)?.token === token) this.held.delete(key);
      },
    };
  }

  async inspect(target: LockTarget): Promise<LockHolder | undefined> {
    const current = this.held.get(`${target.namespace}/${target.app}`);
    return current ? { holder: current.holder, since: current.since, alive: true } : undefined;
  }

  /** Who holds the lock on `target`, if anyone (for tests and status output). */
  holderOf(target: LockTarget): string | undefined {
    return this.held.get(`${target.namespace}/${target.app}`)?.holder;
  }
}
