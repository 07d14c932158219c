import { BatonError } from '../errors.js';

/** What a lock protects: one app in one namespace has at most one live run. */
export interface LockTarget {
  app: string;
  namespace: string;
}

/** A held lock. The engine renews it while the run lives and releases it when the run stops. */
export interface RunLockHandle {
  /** Proves the holder is alive. Throws LOCK_LOST if someone else took the lock meanwhile. */
  renew(): Promise<void>;
  /** Gives the lock up. Safe to call twice; never releases a lock someone else took over. */
  release(): Promise<void>;
}

/**
 * Per-app mutual exclusion for runs. Implementations: FileLock (one machine), MemoryLock (tests),
 * and a Kubernetes Lease lock in kube/ (clusters).
 */
export interface RunLock {
  /** Takes the lock or throws RunLockedError naming who holds it and since when. */
  acquire(target: LockTarget, holder: string): Promise<RunLockHandle>;
  /**
   * Who holds the lock now, and whether that holder is alive as `acquire` would judge it (a dead
   * holder's lock would be taken over). Undefined when nobody holds it. Reads only.
   */
  inspect(target: LockTarget): Promise<LockHolder | undefined>;
}

/** The holder of a lock, as `inspect` reads it. */
export interface LockHolder {
  holder: string;
  since: number;
  alive: boolean;
}

/** Thrown by `RunLock.acquire` when another live holder has the lock. */
export class RunLockedError extends BatonError {
  readonly holder: string;
  readonly since: number;

  constructor(target: LockTarget, holder: string, since: number) {
    super('LOCKED', `${target.namespace}/${target.app} is locked by ${holder} since ${new Date(since).toISOString()}`, {
      hint: 'another baton run of this app is live; wait for it, or stop that process (its run can then be resumed)',
    });
    this.holder = holder;
    this.since = since;
  }
}

/** Thrown by `renew` when the lock was broken and taken by another holder. */
export function lockLostError(target: LockTarget, holder: string): BatonError {
  return new BatonError('LOCK_LOST', `lost the lock on ${target.namespace}/${target.app} (held as ${holder})`, {
    hint: 'another process judged this run dead and took over; this process stops acting',
  });
}
