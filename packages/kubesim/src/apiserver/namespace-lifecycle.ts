import { ApiError } from './api-error.js';
import type { ResourceRegistry } from './resource-registry.js';
import { storageKey } from './resource-registry.js';
import type { ObjectStore, StoreEvent } from './store/object-store.js';
import type { ResourceStorage } from './store/resource-storage.js';
import { clone, isObject, type KubeObject } from './types.js';

/**
 * The namespace and service-account controllers: every namespace gets a "default"
 * ServiceAccount; a Terminating namespace has all its content deleted and is finalized
 * (spec.finalizers emptied, which removes it) once nothing is left in it.
 */
export class NamespaceLifecycle {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly storage: ResourceStorage,
    private readonly registry: ResourceRegistry,
  ) {
    for (const ns of store.list('/namespaces')) this.pending.add(ns.metadata.name ?? '');
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private onEvent(e: StoreEvent): void {
    if (e.key === '/namespaces') {
      if (e.type !== 'DELETED') this.pending.add(e.object.metadata.name ?? '');
    } else if (e.object.metadata.namespace) {
      const ns = this.store.get('/namespaces', undefined, e.object.metadata.namespace);
      if (ns?.metadata.deletionTimestamp || (e.key === '/serviceaccounts' && e.type === 'DELETED'))
        this.pending.add(e.object.metadata.namespace);
    }
    if (this.pending.size) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) {
        try {
          this.sync(n);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }
    });
  }

  private sync(name: string): void {
    const ns = this.store.get('/namespaces', undefined, name);
    if (!ns) return;
    if (!ns.metadata.deletionTimestamp) {
      this.ensureServiceAccount(name);
      return;
    }
    let remaining = 0;
    const keys = new Set<string>();
    for (const d of this.registry.all()) {
      if (!d.namespaced || keys.has(storageKey(d))) continue;
      keys.add(storageKey(d));
      for (const o of this.store.list(storageKey(d), name)) {
        remaining++;
        if (!o.metadata.deletionTimestamp) {
          try {
            this.storage.delete(d, name, o.metadata.name ?? '', { propagationPolicy: 'Background' });
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
        }
      }
    }
    const left = [...keys].reduce((n, k) => n + this.store.list(k, name).length, 0);
    if (left === 0 || remaining === 0) this.finalize(ns);
  }

  private finalize(ns: KubeObject): void {
    const d = this.registry.byKey('/namespaces');
    if (!d) return;
    const next = clone(ns);
    next['spec'] = { ...(isObject(next['spec']) ? next['spec'] : {}), finalizers: [] };
    this.storage.update(d, undefined, ns.metadata.name ?? '', next);
  }

  private ensureServiceAccount(ns: string): void {
    if (this.store.get('/serviceaccounts', ns, 'default')) return;
    const d = this.registry.byKey('/serviceaccounts');
    if (d) this.storage.create(d, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  }
}
