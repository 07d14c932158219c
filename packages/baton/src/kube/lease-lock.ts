import { hostname } from 'node:os';
import { RunLockedError, lockLostError, type LockHolder, type LockTarget, type RunLock, type RunLockHandle } from '../engine/run-lock.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';
import { microTime } from './kube-time.js';

interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export interface LeaseLockOptions {
  /** A holder that stops renewing for this long is considered dead. Default 60 s. */
  leaseDurationSeconds?: number;
  now?: () => number;
}

/**
 * The per-app lock as a coordination.k8s.io Lease (`baton-<app>`), so two operators on two
 * laptops, or CI and a human, cannot upgrade the same app at once. Every write carries the
 * Lease's resourceVersion: two takers racing get one 409 between them, never two locks.
 */
export class LeaseLock implements RunLock {
  private readonly duration: number;
  private readonly now: () => number;

  constructor(
    private readonly kube: KubeClient,
    options: LeaseLockOptions = {},
  ) {
    this.duration = options.leaseDurationSeconds ?? 60;
    this.now = options.now ?? Date.now;
  }

  async acquire(target: LockTarget, holder: string): Promise<RunLockHandle> {
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: leaseName(target.app), namespace: target.namespace };
    const live = await this.kube.get<Lease>(ref);
    const nowIso = microTime(this.now());
    const spec = { holderIdentity: holder, leaseDurationSeconds: this.duration, acquireTime: nowIso, renewTime: nowIso };
    if (!live) {
      try {
        await this.kube.create({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: {
            name: ref.name,
            namespace: ref.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': target.app },
          },
          spec,
        });
      } catch (error) {
        if ((error as { conflict?: boolean }).conflict) throw await this.lockedBy(target, ref);
        throw error;
      }
    } else {
      const s = live.spec ?? {};
      const renewed = Date.parse(s.renewTime ?? s.acquireTime ?? '') || 0;
      const alive =
        s.holderIdentity &&
        s.holderIdentity !== holder &&
        renewed + (s.leaseDurationSeconds ?? this.duration) * 1000 > this.now() &&
        !deadOnThisHost(s.holderIdentity);
      if (alive) throw new RunLockedError(target, s.holderIdentity!, Date.parse(s.acquireTime ?? '') || renewed);
      try {
        await this.kube.replace({ ...live, spec: { ...spec, leaseTransitions: (s.leaseTransitions ?? 0) + 1 } });
      } catch (error) {
        if ((error as { conflict?: boolean }).conflict) throw await this.lockedBy(target, ref);
        throw error;
      }
    }
    return {
      renew: async () => {
        const current = await this.kube.get<Lease>(ref);
        if (current?.spec?.holderIdentity !== holder) throw lockLostError(target, holder);
        try {
          await this.kube.replace({ ...current, spec: { ...current.spec, renewTime: microTime(this.now()) } });
        } catch (error) {
          if ((error as { conflict?: boolean }).conflict) throw lockLostError(target, holder);
          throw error;
        }
      },
      release: async () => {
        const current = await this.kube.get<Lease>(ref);
        if (current?.spec?.holderIdentity !== holder) return; // someone took over: not ours to release
        try {
          await this.kube.replace({ ...current, spec: { ...current.spec, holderIdentity: null, renewTime: null } });
        } catch (error) {
          if (!(error as { conflict?: boolean }).conflict) throw error;
        }
      },
    };
  }

  async inspect(target: LockTarget): Promise<LockHolder | undefined> {
    const live = await this.kube.get<Lease>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      name: leaseName(target.app),
      namespace: target.namespace,
    });
    const s = live?.spec ?? {};
    if (!s.holderIdentity) return undefined;
    const renewed = Date.parse(s.renewTime ?? s.acquireTime ?? '') || 0;
    const alive = renewed + (s.leaseDurationSeconds ?? this.duration) * 1000 > this.now() && !deadOnThisHost(s.holderIdentity);
    return { holder: s.holderIdentity, since: Date.parse(s.acquireTime ?? '') || renewed, alive };
  }

  private async lockedBy(
    target: LockTarget,
    ref: { apiVersion: string; kind: string; name: string; namespace: string },
  ): Promise<RunLockedError> {
    const live = await this.kube.get<Lease>(ref);
    const s = live?.spec ?? {};
    return new RunLockedError(target, s.holderIdentity ?? 'another baton', Date.parse(s.acquireTime ?? '') || this.now());
  }
}

/**
 * A holder named `baton pid N on HOST` (the engine's default) whose process is gone from this very
 * host is dead now, not when its lease expires: `baton resume` right after a crash must not wait.
 */
function deadOnThisHost(holder: string): boolean {
  const match = /^baton pid (\d+) on (.+)$/.exec(holder);
  if (!match || match[2] !== hostname()) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function leaseName(app: string): string {
  return `baton-${app}`.slice(0, 63);
}
