import { hostname } from 'node:os';
import { BatonError } from '../errors.js';
import { lockLostError, type LockTarget, type RunLock, type RunLockHandle } from '../engine/run-lock.js';
import type { KubeClient } from '../kube/kube-client.js';
import { LeaseLock } from '../kube/lease-lock.js';

interface Held {
  handle: RunLockHandle;
  owner: string;
  timer: NodeJS.Timeout;
  lost: boolean;
  /** When the Lease was last written by us (acquired or renewed). */
  renewedAt: number;
}

/**
 * The per-app Lease (`baton-<app>`, the same lock the CLI takes), held by the controller for a
 * Release's whole life, paused included, so one Release per app runs at a time and a CLI run
 * of the same app is refused meanwhile. The engine gets `runLock(target, signal)`, which reports
 * the lock lost when the Lease was taken or this replica stopped leading: the engine then stops
 * writing and cancels its step, and the next leader carries on.
 */
export class AppLocks {
  private readonly held = new Map<string, Held>();
  private readonly lease: LeaseLock;
  /** The engine's default holder format, so a dead holder on this host is recognised at once. */
  readonly holder = `baton pid ${process.pid} on ${hostname()}`;

  constructor(
    kube: KubeClient,
    private readonly options: { leaseDurationSeconds?: number; renewMs?: number; now?: () => number } = {},
  ) {
    this.lease = new LeaseLock(kube, { leaseDurationSeconds: this.leaseSeconds, ...(options.now ? { now: options.now } : {}) });
  }

  private get leaseSeconds(): number {
    return this.options.leaseDurationSeconds ?? 15;
  }

  private get renewMs(): number {
    return this.options.renewMs ?? 5000;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Takes the app's Lease for `owner` (a Release key), or throws RunLockedError. Idempotent. */
  async acquire(target: LockTarget, owner: string): Promise<void> {
    const key = keyOf(target);
    const current = this.held.get(key);
    if (current !== undefined && !current.lost && current.owner === owner) return;
    if (current !== undefined) this.drop(key);
    const handle = await this.lease.acquire(target, this.holder);
    const entry: Held = {
      handle,
      owner,
      lost: false,
      renewedAt: this.now(),
      timer: setInterval(() => void this.renew(entry), this.renewMs),
    };
    entry.timer.unref();
    this.held.set(key, entry);
  }

  /**
   * One renewal. Only evidence that the Lease is gone from us (another holder, a conflicting
   * write) loses the lock at once. A failed call (a timeout, an API server restarting) is tried
   * again at the next tick: nobody may take the Lease before it expires, so the lock is lost
   * only once a whole lease duration has passed without a renewal. Marking it lost on the first
   * error stopped every running Release's engine, to be taken straight back by this same replica.
   */
  private async renew(entry: Held): Promise<void> {
    try {
      await entry.handle.renew();
      entry.renewedAt = this.now();
    } catch (error) {
      const takenOver = error instanceof BatonError && error.code === 'LOCK_LOST';
      // Lost before the Lease can expire, not after: the next tick would come too late.
      const expiresBeforeNextTick = this.now() - entry.renewedAt + this.renewMs >= this.leaseSeconds * 1000;
      if (takenOver || expiresBeforeNextTick) entry.lost = true;
    }
  }

  holds(target: LockTarget, owner: string): boolean {
    const current = this.held.get(keyOf(target));
    return current !== undefined && !current.lost && current.owner === owner;
  }

  async release(target: LockTarget): Promise<void> {
    const key = keyOf(target);
    const current = this.held.get(key);
    if (current === undefined) return;
    this.drop(key);
    await current.handle.release().catch(() => undefined);
  }

  /** Leadership lost: stop renewing everything (the Leases expire; the next leader takes them). */
  dropAll(): void {
    for (const key of [...this.held.keys()]) this.drop(key);
  }

  /** The lock the engine sees: already held; lost when the Lease is, or when `leading` aborts. */
  runLock(target: LockTarget, leading: AbortSignal): RunLock {
    return {
      acquire: async () => ({
        renew: async () => {
          const current = this.held.get(keyOf(target));
          if (leading.aborted || current === undefined || current.lost) throw lockLostError(target, this.holder);
        },
        release: async () => undefined,
      }),
      inspect: (inspected) => this.lease.inspect(inspected),
    };
  }

  private drop(key: string): void {
    const current = this.held.get(key);
    if (current !== undefined) clearInterval(current.timer);
    this.held.delete(key);
  }
}

function keyOf(target: LockTarget): string {
  return `${target.namespace}/${target.app}`;
}
