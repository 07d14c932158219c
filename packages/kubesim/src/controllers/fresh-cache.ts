interface Versioned {
  metadata?: { resourceVersion?: string; uid?: string; namespace?: string; name?: string };
}

/**
 * Read-your-writes over an informer cache. After a controller writes an object, its informer
 * lags until the watch event arrives; syncing on the stale copy makes the next write fail with a
 * 409 and a back-off. We remember what we wrote and which resourceVersion it replaced: while the
 * cache still shows exactly that version, our copy is newer. Any other version in the cache
 * (our event arrived, or someone else wrote) wins, so this can never hide a foreign change.
 */
export class FreshCache<T extends Versioned> {
  private readonly written = new Map<string, { staleRv: string | undefined; uid: string | undefined; obj: T }>();

  private static key(o: Versioned): string {
    return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  }

  /** Record a successful write: `before` is the object we sent, `after` the server's answer. */
  remember(before: Versioned, after: T): void {
    this.written.set(FreshCache.key(after), { staleRv: before.metadata?.resourceVersion, uid: after.metadata?.uid, obj: after });
  }

  /** The freshest copy we know of the cached object. */
  resolve(cached: T): T {
    const k = FreshCache.key(cached);
    const w = this.written.get(k);
    if (!w) return cached;
    if (w.uid === cached.metadata?.uid && w.staleRv === cached.metadata?.resourceVersion) return w.obj;
    this.written.delete(k);
    return cached;
  }

  /** Our copy of an object we wrote (created, typically) that the informer may not show yet. */
  get(namespace: string, name: string): T | undefined {
    return this.written.get(`${namespace}/${name}`)?.obj;
  }

  forget(obj: Versioned): void {
    this.written.delete(FreshCache.key(obj));
  }
}
