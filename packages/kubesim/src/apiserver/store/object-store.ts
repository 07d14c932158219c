import type { KubeObject } from '../types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object; `rv` is the global resourceVersion the change produced. */
export interface StoreEvent {
  type: EventType;
  /** Resource key "group/resource" (core group is ""). */
  key: string;
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  old?: KubeObject;
  rv: number;
}

export interface ObjectStoreOptions {
  historySize?: number;
}

function id(ns: string | undefined, name: string): string {
  return `${ns ?? ''}/${name}`;
}

/**
 * All objects of the cluster in memory with one global, monotonically increasing resourceVersion
 * and a bounded event history for watch resumption. Objects handed out are the stored ones: callers
 * clone before mutating (the handlers do).
 */
export class ObjectStore {
  private rv = 0;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly uids = new Map<string, { key: string; id: string }>();
  private readonly history: StoreEvent[] = [];
  /** Events at or below this rv are no longer in history: watching from below it is 410 Gone. */
  private compactedRv = 0;
  private readonly historySize: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(options: ObjectStoreOptions = {}) {
    this.historySize = options.historySize ?? 10_000;
  }

  get resourceVersion(): number {
    return this.rv;
  }
  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  private bucket(key: string): Map<string, KubeObject> {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  get(key: string, ns: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(key)?.get(id(ns, name));
  }

  /** All objects of a resource, optionally limited to a namespace, sorted by namespace/name. */
  list(key: string, ns?: string): KubeObject[] {
    const b = this.buckets.get(key);
    if (!b) return [];
    const out: KubeObject[] = [];
    for (const o of b.values()) if (ns === undefined || o.metadata.namespace === ns) out.push(o);
    return out.sort((a, c) =>
      id(a.metadata.namespace, a.metadata.name ?? '').localeCompare(id(c.metadata.namespace, c.metadata.name ?? '')),
    );
  }

  keys(): string[] {
    return [...this.buckets.keys()];
  }

  byUid(uid: string): { key: string; object: KubeObject } | undefined {
    const ref = this.uids.get(uid);
    if (!ref) return undefined;
    const object = this.buckets.get(ref.key)?.get(ref.id);
    return object ? { key: ref.key, object } : undefined;
  }

  create(key: string, obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    const i = id(obj.metadata.namespace, obj.metadata.name ?? '');
    this.bucket(key).set(i, obj);
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, { key, id: i });
    this.emit({ type: 'ADDED', key, object: obj, rv: this.rv });
    return obj;
  }

  update(key: string, obj: KubeObject, old: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    this.bucket(key).set(id(obj.metadata.namespace, obj.metadata.name ?? ''), obj);
    this.emit({ type: 'MODIFIED', key, object: obj, old, rv: this.rv });
    return obj;
  }

  /** Removes the object; the DELETED event carries a fresh resourceVersion as the real server does. */
  remove(key: string, obj: KubeObject): KubeObject {
    const i = id(obj.metadata.namespace, obj.metadata.name ?? '');
    const old = this.buckets.get(key)?.get(i);
    if (!old) return obj;
    this.buckets.get(key)?.delete(i);
    if (old.metadata.uid) this.uids.delete(old.metadata.uid);
    // The final state (e.g. the update that dropped the last finalizer) is what watchers see deleted.
    const gone: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ type: 'DELETED', key, object: gone, old, rv: this.rv });
    return gone;
  }

  /** Events after `rv` for a resource, or 'expired' when history no longer reaches back that far. */
  eventsSince(rv: number, key: string): StoreEvent[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    const out: StoreEvent[] = [];
    // History is ordered by rv; walk from the end for the common "recent rv" case.
    let i = this.history.length;
    while (i > 0 && (this.history[i - 1]?.rv ?? 0) > rv) i--;
    for (; i < this.history.length; i++) {
      const e = this.history[i];
      if (e && e.key === key) out.push(e);
    }
    return out;
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.compactedRv = dropped[dropped.length - 1]?.rv ?? this.compactedRv;
    }
    for (const l of [...this.listeners]) l(e);
  }

  /** Everything needed to restore the store: objects by key and the rv counter. */
  snapshot(): { resourceVersion: number; objects: Record<string, KubeObject[]> } {
    const objects: Record<string, KubeObject[]> = {};
    for (const [k, b] of this.buckets) if (b.size) objects[k] = [...b.values()];
    return { resourceVersion: this.rv, objects };
  }

  /** Loads a snapshot into an empty store; history starts empty, so older rvs are Gone. */
  load(s: { resourceVersion: number; objects: Record<string, KubeObject[]> }): void {
    this.rv = s.resourceVersion;
    this.compactedRv = s.resourceVersion;
    for (const [k, list] of Object.entries(s.objects)) {
      const b = this.bucket(k);
      for (const o of list) {
        const i = id(o.metadata.namespace, o.metadata.name ?? '');
        b.set(i, o);
        if (o.metadata.uid) this.uids.set(o.metadata.uid, { key: k, id: i });
      }
    }
  }
}
