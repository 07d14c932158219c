import { objectKey, type KubeObject } from './kube-objects.js';

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

  apply(event: ViewEvent): void {
    let byKey = this.objects.get(event.kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(event.kind, byKey);
    }
    if (event.type === 'upsert') byKey.set(objectKey(event.object), event.object);
    else byKey.delete(objectKey(event.object));
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener bug must not stop the others from learning the change.
      }
    }
  }

  list<T extends KubeObject = KubeObject>(kind: WatchedKind, namespace?: string): T[] {
    const all = [...(this.objects.get(kind)?.values() ?? [])] as T[];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
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
