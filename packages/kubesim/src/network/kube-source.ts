import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ViewEvent, WatchedKind } from './cluster-view.js';
import type { KubeObject } from './kube-objects.js';
import type { NetworkLogger } from './network-logger.js';

export interface KubeSourceOptions {
  kubeconfig: string;
  onEvent: (event: ViewEvent) => void;
  logger: NetworkLogger;
  /** Wait before re-listing after a watch fails (e.g. a CRD not installed yet). Default 2000. */
  retryMs?: number;
}

type ListFn = () => Promise<KubernetesListObject<KubernetesObject>>;

interface Watched {
  kind: WatchedKind;
  path: string;
  list: ListFn;
  /** Reduces what is kept in memory (pods: only name and labels matter here). */
  trim?: (o: KubeObject) => KubeObject;
}

/**
 * Feeds the proxies from a real API server (kubesim's or any other) with list+watch informers,
 * as kube-proxy and an ingress controller do. Also writes what an ingress controller writes:
 * Ingress status and Warning Events.
 */
export class KubeSource {
  private readonly kc = new KubeConfig();
  private readonly informers: Array<Informer<KubernetesObject>> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly failing = new Set<string>();
  private stopped = false;
  private readonly core: CoreV1Api;
  private readonly networking: NetworkingV1Api;

  constructor(private readonly options: KubeSourceOptions) {
    this.kc.loadFromString(options.kubeconfig);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.networking = this.kc.makeApiClient(NetworkingV1Api);
  }

  private watched(): Watched[] {
    const core = this.core;
    const discovery = this.kc.makeApiClient(DiscoveryV1Api);
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    const crd = (kind: WatchedKind, group: string, version: string, plural: string): Watched => ({
      kind,
      path: `/apis/${group}/${version}/${plural}`,
      list: () => custom.listClusterCustomObject({ group, version, plural }) as Promise<KubernetesListObject<KubernetesObject>>,
    });
    return [
      { kind: 'Service', path: '/api/v1/services', list: () => core.listServiceForAllNamespaces() },
      { kind: 'Endpoints', path: '/api/v1/endpoints', list: () => core.listEndpointsForAllNamespaces() },
      {
        kind: 'Pod',
        path: '/api/v1/pods',
        list: () => core.listPodForAllNamespaces(),
        trim: (o) => ({
          kind: 'Pod',
          metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, labels: o.metadata?.labels ?? {} },
        }),
      },
      {
        kind: 'EndpointSlice',
        path: '/apis/discovery.k8s.io/v1/endpointslices',
        list: () => discovery.listEndpointSliceForAllNamespaces(),
      },
      { kind: 'Ingress', path: '/apis/networking.k8s.io/v1/ingresses', list: () => this.networking.listIngressForAllNamespaces() },
      crd('Gateway', 'gateway.networking.k8s.io', 'v1', 'gateways'),
      crd('HTTPRoute', 'gateway.networking.k8s.io', 'v1', 'httproutes'),
      crd('VirtualService', 'networking.istio.io', 'v1', 'virtualservices'),
      crd('VirtualService', 'networking.istio.io', 'v1beta1', 'virtualservices'),
      crd('DestinationRule', 'networking.istio.io', 'v1', 'destinationrules'),
      crd('DestinationRule', 'networking.istio.io', 'v1beta1', 'destinationrules'),
    ];
  }

  /** Starts every informer; resolves once each has made its first attempt to list. */
  async start(): Promise<void> {
    await Promise.all(this.watched().map((w) => this.startOne(w)));
  }

  private async startOne(w: Watched): Promise<void> {
    const informer = makeInformer(this.kc, w.path, w.list);
    const trim = w.trim ?? ((o: KubeObject) => o);
    const emit = (type: 'upsert' | 'delete') => (obj: KubernetesObject) => {
      // Typed list results carry Date objects; the proxies want plain JSON like watch events.
      this.options.onEvent({ type, kind: w.kind, object: trim(JSON.parse(JSON.stringify(obj)) as KubeObject) });
    };
    informer.on('add', emit('upsert'));
    informer.on('update', emit('upsert'));
    informer.on('delete', emit('delete'));
    informer.on('connect', () => {
      if (this.failing.delete(w.path)) this.options.logger.warn('watch recovered', { path: w.path });
    });
    informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      // Not-installed CRDs keep failing with 404; say so once, then retry quietly.
      if (!this.failing.has(w.path))
        this.options.logger.warn('watch failed; retrying', { path: w.path, error: String((err as Error)?.message ?? err) });
      this.failing.add(w.path);
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.stopped) void informer.start().catch(() => {});
      }, this.options.retryMs ?? 2000);
      this.timers.add(t);
    });
    this.informers.push(informer);
    await informer.start().catch(() => {});
  }

  /** Sets status.loadBalancer.ingress on an Ingress this proxy serves, if not already so. */
  async publishIngressStatus(
    ingress: KubeObject & { status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } },
    ip: string,
  ): Promise<void> {
    const have = ingress.status?.loadBalancer?.ingress;
    if (have?.length === 1 && have[0]?.ip === ip) return;
    const name = ingress.metadata?.name;
    const namespace = ingress.metadata?.namespace;
    if (!name || !namespace) return;
    try {
      await this.networking.patchNamespacedIngressStatus(
        { name, namespace, body: { status: { loadBalancer: { ingress: [{ ip }] } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (err) {
      this.options.logger.warn('cannot write Ingress status', {
        ingress: `${namespace}/${name}`,
        error: String((err as Error)?.message ?? err),
      });
    }
  }

  /** Records a Warning Event on a routing object (best effort, like any controller's recorder). */
  async warnEvent(object: { kind: string; namespace: string; name: string }, reason: string, message: string): Promise<void> {
    const now = new Date();
    const apiVersion = {
      Ingress: 'networking.k8s.io/v1',
      HTTPRoute: 'gateway.networking.k8s.io/v1',
      VirtualService: 'networking.istio.io/v1',
    }[object.kind];
    try {
      await this.core.createNamespacedEvent({
        namespace: object.namespace,
        body: {
          metadata: { generateName: `${object.name}.`, namespace: object.namespace },
          involvedObject: { kind: object.kind, namespace: object.namespace, name: object.name, ...(apiVersion ? { apiVersion } : {}) },
          reason,
          message,
          type: 'Warning',
          source: { component: 'kubesim-ingress' },
          reportingComponent: 'kubesim-ingress',
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (err) {
      this.options.logger.warn('cannot record Event', { reason, error: String((err as Error)?.message ?? err) });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.informers.map((i) => i.stop().catch(() => {})));
  }
}
