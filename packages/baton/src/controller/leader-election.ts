import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { microTime } from './micro-time.js';

interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export interface LeaderElectionOptions {
  kube: KubeClient;
  namespace: string;
  /** Default `baton-controller`. */
  name?: string;
  identity: string;
  /** A leader that has not renewed for this long may be replaced. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that cannot renew for this long steps down. Default 10 s. */
  renewDeadlineMs?: number;
  /** Between attempts to acquire or renew. Default 2 s. */
  retryPeriodMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

/**
 * Leader election on a coordination.k8s.io Lease, with client-go's timing (15 s / 10 s / 2 s) and
 * its rule for expiry: a lease counts as expired when its record has not *changed* for the lease
 * duration as seen by this replica's own clock, so clock skew between nodes cannot make two
 * leaders. Every write carries the Lease's resourceVersion; a lost race is a 409, never two
 * holders. On shutdown the lease is released so the other replica takes over at once.
 */
export class LeaderElector {
  private readonly name: string;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;
  private observed: { key: string; at: number } | undefined;

  constructor(private readonly o: LeaderElectionOptions) {
    this.name = o.name ?? 'baton-controller';
    this.leaseMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
    this.now = o.now ?? Date.now;
  }

  /**
   * Waits for leadership, then calls `lead` with a signal that aborts when leadership is lost
   * (renewals failed for the renew deadline) or `stop` aborts. Resolves once `lead` has returned
   * and the lease was released (or lost).
   */
  async run(stop: AbortSignal, lead: (leading: AbortSignal) => Promise<void>): Promise<void> {
    while (!stop.aborted && !(await this.tryAcquireOrRenew())) await sleep(this.retryMs, stop);
    if (stop.aborted) return;
    this.o.log?.(`became leader (Lease ${this.o.namespace}/${this.name})`);
    const leading = new AbortController();
    const onStop = () => leading.abort('stopping');
    stop.addEventListener('abort', onStop, { once: true });
    let lastRenew = this.now();
    const renewing = (async () => {
      while (!leading.signal.aborted) {
        await sleep(this.retryMs, leading.signal);
        if (leading.signal.aborted) break;
        const ok = await this.tryAcquireOrRenew().catch(() => false);
        if (ok) lastRenew = this.now();
        else if (this.now() - lastRenew >= this.renewDeadlineMs) {
          this.o.log?.(`lost leadership: could not renew for ${this.renewDeadlineMs} ms`);
          leading.abort(new Error('leadership lost'));
        }
      }
    })();
    try {
      await lead(leading.signal);
    } finally {
      leading.abort('done');
      stop.removeEventListener('abort', onStop);
      await renewing;
      await this.release().catch(() => undefined);
    }
  }

  /** One attempt: true when this replica holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: this.name, namespace: this.o.namespace };
    const now = this.now();
    const live = await this.o.kube.get<Lease>(ref);
    const mine = { holderIdentity: this.o.identity, leaseDurationSeconds: Math.ceil(this.leaseMs / 1000), renewTime: microTime(now) };
    if (live === undefined) {
      try {
        await this.o.kube.create({
          ...ref,
          metadata: { name: this.name, namespace: this.o.namespace },
          spec: { ...mine, acquireTime: microTime(now), leaseTransitions: 0 },
        });
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        throw error;
      }
    }
    const spec = live.spec ?? {};
    const key = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}`;
    if (this.observed?.key !== key) this.observed = { key, at: now };
    const held = typeof spec.holderIdentity === 'string' && spec.holderIdentity !== '';
    const isMine = spec.holderIdentity === this.o.identity;
    const durationMs = (spec.leaseDurationSeconds ?? Math.ceil(this.leaseMs / 1000)) * 1000;
    if (held && !isMine && this.observed.at + durationMs > now) return false;
    const next = isMine
      ? { ...spec, ...mine }
      : { ...mine, acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
    try {
      const written = await this.o.kube.replace<Lease>({ ...live, spec: next });
      this.observed = { key: `${written.spec?.holderIdentity ?? ''}|${written.spec?.renewTime ?? ''}`, at: now };
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  private async release(): Promise<void> {
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: this.name, namespace: this.o.namespace };
    const live = await this.o.kube.get<Lease>(ref);
    if (live?.spec?.holderIdentity !== this.o.identity) return;
    await this.o.kube.replace({
      ...live,
      spec: { ...live.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(this.now()) },
    });
    this.o.log?.('released the leader Lease');
  }
}

function isConflict(error: unknown): boolean {
  return (error as { conflict?: boolean } | null)?.conflict === true;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
