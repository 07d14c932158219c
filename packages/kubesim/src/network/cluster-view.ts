import { objectKey, type KubeObject } from './kube-objects.js';

// list()'s cache key for "every namespace" (no namespace name can contain a NUL).
const allNamespaces = '\0all';

/** The resource kinds the proxies watch. */
export const watchedKinds = [
  'Service',
  'EndpointSlice',
  'Endpoints',
  'Pod',
  'Ingress',
  'HTTPRoute',
  'Gateway',
  'VirtualService',
  'DestinationRule',
] as const;
export type WatchedKind = (typeof watchedKinds)[number];

/** One observed change, as a watch delivers it. */
export type ViewEvent =
  | { type: 'upsert'; kind: WatchedKind; object: KubeObject }
  | { type: 'delete'; kind: WatchedKind; object: KubeObject };

/**
 * The proxies' picture of the cluster: an in-memory routing table fed by watch events. It is what
 * the proxies have *learned*, which lags the API server by the propagation delay (see
 * DelayedFeed), exactly as a kube-proxy or ingress controller lags in a real cluster.
 */
export class ClusterView {
  private readonly objects = new Map<WatchedKind, Map<string, KubeObject>>();
  private readonly listeners = new Set<(event: ViewEvent) => void>();
  // list() results, kept until the next change of their kind: the ingress lists per request, and
  // routers memoise what they derive from a list by its identity (a new array = something changed).
  private readonly lists = new Map<WatchedKind, Map<string, readonly KubeObject[]>>();

  apply(event: ViewEvent): void {
    let byKey = this.objects.get(event.kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(event.kind, byKey);
    }
    if (event.type === 'upsert') byKey.set(objectKey(event.object), event.object);
    else byKey.delete(objectKey(event.object));
    this.lists.delete(event.kind);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener bug must not stop the others from learning the change.
      }
    }
  }

  /**
   * Every object of a kind (in one namespace, if given). The same array is returned until that
   * kind changes, so callers must not mutate it and may cache what they compute from it by identity.
   */
  list<T extends KubeObject = KubeObject>(kind: WatchedKind, namespace?: string): readonly T[] {
    let byNamespace = this.lists.get(kind);
    if (!byNamespace) {
      byNamespace = new Map();
      this.lists.set(kind, byNamespace);
    }
    const key = namespace ?? allNamespaces;
    let list = byNamespace.get(key);
    if (!list) {
      const all = [...(this.objects.get(kind)?.values() ?? [])];
      list = Object.freeze(namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace));
      byNamespace.set(key, list);
    }
    return list as readonly T[];
  }

  get<T extends KubeObject = KubeObject>(kind: WatchedKind, namespace: string, name: string): T | undefined {
    return this.objects.get(kind)?.get(`${namespace}/${name}`) as T | undefined;
  }

  /** Calls `listener` after every applied change; returns the unsubscribe function. */
  onChange(listener: (event: ViewEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
