import { ApiError } from './api-error.js';
import type { ResourceRegistry } from './resource-registry.js';
import type { ObjectStore, StoreEvent } from './store/object-store.js';
import type { ResourceStorage } from './store/resource-storage.js';
import { clone, type KubeObject } from './types.js';

const SEP = '\u0000';
const ref = (key: string, o: KubeObject): string => [key, o.metadata.namespace ?? '', o.metadata.name ?? ''].join(SEP);

/**
 * The ownerReference garbage collector, as kube-controller-manager's: deletes dependents whose
 * owners are all gone (by uid), strips dangling references when some owner remains, and completes
 * Orphan (strip references, then drop the "orphan" finalizer) and Foreground deletion (delete
 * dependents, drop "foregroundDeletion" once no blockOwnerDeletion dependent remains).
 * Runs asynchronously after the write that triggers it, like the real controller.
 */
export class GarbageCollector {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly pendingDeps = new Set<string>();
  private readonly pendingOwners = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly storage: ResourceStorage,
    private readonly registry: ResourceRegistry,
  ) {
    for (const key of store.keys()) {
      for (const o of store.list(key)) {
        this.index(key, undefined, o);
        if (o.metadata.ownerReferences?.length) this.pendingDeps.add(ref(key, o));
        if (o.metadata.deletionTimestamp && o.metadata.uid) this.pendingOwners.add(o.metadata.uid);
      }
    }
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private index(key: string, old: KubeObject | undefined, now: KubeObject | undefined): void {
    const r = ref(key, (now ?? old)!);
    for (const o of old?.metadata.ownerReferences ?? []) this.dependents.get(o.uid)?.delete(r);
    for (const o of now?.metadata.ownerReferences ?? []) {
      let s = this.dependents.get(o.uid);
      if (!s) {
        s = new Set();
        this.dependents.set(o.uid, s);
      }
      s.add(r);
    }
  }

  private onEvent(e: StoreEvent): void {
    this.index(e.key, e.old, e.type === 'DELETED' ? undefined : e.object);
    const uid = e.object.metadata.uid;
    if (e.type === 'DELETED') {
      if (uid) {
        for (const d of this.dependents.get(uid) ?? []) this.pendingDeps.add(d);
        this.dependents.delete(uid);
      }
    } else {
      if (e.object.metadata.ownerReferences?.length) this.pendingDeps.add(ref(e.key, e.object));
      if (e.object.metadata.deletionTimestamp && uid) this.pendingOwners.add(uid);
    }
    // A dependent changing may complete a foreground deletion of its owners.
    for (const o of [...(e.object.metadata.ownerReferences ?? []), ...(e.old?.metadata.ownerReferences ?? [])])
      this.pendingOwners.add(o.uid);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.stopped) return;
    const deps = [...this.pendingDeps];
    this.pendingDeps.clear();
    const owners = [...this.pendingOwners];
    this.pendingOwners.clear();
    for (const d of deps) this.quietly(() => this.processDependent(d));
    for (const u of owners) this.quietly(() => this.processOwner(u));
  }

  private quietly(f: () => void): void {
    try {
      f();
    } catch (e) {
      // Races with other writers (already gone, changed meanwhile) resolve on the next event.
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private lookup(r: string): { key: string; obj: KubeObject } | undefined {
    const [key, ns, name] = r.split(SEP) as [string, string, string];
    const obj = this.store.get(key, ns || undefined, name);
    return obj ? { key, obj } : undefined;
  }

  private processDependent(r: string): void {
    const found = this.lookup(r);
    if (!found) return;
    const { key, obj } = found;
    const d = this.registry.byKey(key);
    const refs = obj.metadata.ownerReferences ?? [];
    if (!d || refs.length === 0) return;
    // An owner counts only where it can own: cluster-scoped, or in the dependent's namespace.
    const live = refs.filter((o) => {
      const owner = this.store.byUid(o.uid)?.object;
      return owner !== undefined && (!owner.metadata.namespace || owner.metadata.namespace === obj.metadata.namespace);
    });
    if (live.length === 0) {
      if (!obj.metadata.deletionTimestamp)
        this.storage.delete(d, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: 'Background' });
      return;
    }
    const foregroundOwner = live.some((o) => this.store.byUid(o.uid)?.object.metadata.finalizers?.includes('foregroundDeletion'));
    if (foregroundOwner && !obj.metadata.deletionTimestamp) {
      this.storage.delete(d, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: 'Foreground' });
      return;
    }
    if (live.length < refs.length) {
      const next = clone(obj);
      next.metadata.ownerReferences = live;
      this.storage.update(d, obj.metadata.namespace, obj.metadata.name ?? '', next);
    }
  }

  private processOwner(uid: string): void {
    const found = this.store.byUid(uid);
    if (!found) return;
    const owner = found.object;
    const d = this.registry.byKey(found.key);
    if (!d || !owner.metadata.deletionTimestamp) return;
    const fin = owner.metadata.finalizers ?? [];
    const deps = [...(this.dependents.get(uid) ?? [])].map((r) => this.lookup(r)).filter((x) => x !== undefined);
    if (fin.includes('orphan')) {
      for (const { key, obj } of deps) {
        const dd = this.registry.byKey(key);
        if (!dd) continue;
        const next = clone(obj);
        next.metadata.ownerReferences = (obj.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.quietly(() => this.storage.update(dd, obj.metadata.namespace, obj.metadata.name ?? '', next));
      }
      this.removeFinalizer(d, owner, 'orphan');
    } else if (fin.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const { key, obj } of deps) {
        const dd = this.registry.byKey(key);
        if (!dd) continue;
        if (obj.metadata.ownerReferences?.some((o) => o.uid === uid && o.blockOwnerDeletion === true)) blocking++;
        if (!obj.metadata.deletionTimestamp) {
          this.quietly(() => this.storage.delete(dd, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: 'Foreground' }));
        }
      }
      if (blocking === 0) this.removeFinalizer(d, owner, 'foregroundDeletion');
    }
  }

  private removeFinalizer(d: NonNullable<ReturnType<ResourceRegistry['byKey']>>, owner: KubeObject, f: string): void {
    const next = clone(owner);
    next.metadata.finalizers = (owner.metadata.finalizers ?? []).filter((x) => x !== f);
    this.storage.update(d, owner.metadata.namespace, owner.metadata.name ?? '', next);
  }
}
