/** How long an unmet expectation may block a controller before it acts anyway (Kubernetes: 5 min). */
const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/**
 * ControllerExpectations: after a controller creates or deletes pods it must not act on the same
 * owner again until its informer has seen those changes, or a stale cache makes it create (or
 * delete) twice. Creations are counted; deletions are tracked by pod key.
 */
export class Expectations {
  private readonly map = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  expectCreations(key: string, n: number): void {
    const e = this.map.get(key);
    this.map.set(key, { adds: n, deletes: e?.deletes ?? new Set(), at: this.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    const e = this.map.get(key);
    this.map.set(key, { adds: e?.adds ?? 0, deletes: new Set(podKeys), at: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.map.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.map.get(key)?.deletes.delete(podKey);
  }

  satisfied(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.now() - e.at > EXPECTATIONS_TTL_MS;
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
