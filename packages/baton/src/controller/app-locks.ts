import { hostname } from 'node:os';
import { lockLostError, type LockTarget, type RunLock, type RunLockHandle } from '../engine/run-lock.js';
import type { KubeClient } from '../kube/kube-client.js';
import { LeaseLock } from '../kube/lease-lock.js';

interface Held {
  handle: RunLockHandle;
  owner: string;
  timer: NodeJS.Timeout;
  lost: boolean;
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
    private readonly options: { leaseDurationSeconds?: number; renewMs?: number } = {},
  ) {
    this.lease = new LeaseLock(kube, { leaseDurationSeconds: options.leaseDurationSeconds ?? 15 });
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
      timer: setInterval(() => {
        handle.renew().catch(() => {
          entry.lost = true;
        });
      }, this.options.renewMs ?? 5000),
    };
    entry.timer.unref();
    this.held.set(key, entry);
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
