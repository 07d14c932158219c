import type { KubeClient } from '../kube/kube-client.js';

/** Every router baton ships; one file each in traffic/, registered in traffic/index.ts. */
export type RouterKind = 'service-selector' | 'nginx-ingress' | 'gateway-api' | 'istio' | 'replica-ratio';

/**
 * `exact`: the proxy splits requests by the weight it was given. `approximate`: the split follows
 * from something coarser (replica counts), so measured traffic only tends towards the weight.
 */
export type Precision = 'exact' | 'approximate';

/** Requests matching this go to the new version only; everyone else follows the weight. */
export type HeaderRoute = { kind: 'header'; name: string; value: string } | { kind: 'cookie'; name: string };

/** What a router reads back from the cluster. */
export interface TrafficSplit {
  /** Share of unmatched traffic on the new version, 0..100. */
  weight: number;
  route: HeaderRoute | null;
  precision: Precision;
}

/**
 * Everything a router needs to find and write its objects. Plain JSON: it travels in step params
 * so a resumed run drives the same objects.
 */
export interface RouterConfig {
  kind: RouterKind;
  namespace: string;
  /** Service in front of the stable pods, and the one in front of the new version's pods. */
  stableService: string;
  canaryService: string;
  port: number;
  /** Host and path the route serves (ingress, HTTPRoute and VirtualService). */
  host?: string;
  path?: string;
  /** nginx-ingress: the user's main Ingress; baton writes `<ingress>-canary` next to it. */
  ingress?: string;
  /** gateway-api: the HTTPRoute baton writes, and the Gateway it attaches to. */
  httpRoute?: string;
  gateway?: string;
  /** istio: the VirtualService and DestinationRule baton writes. */
  virtualService?: string;
  /** istio: the pod label that tells the new version's pods apart (DestinationRule subset). */
  canaryPodLabels?: Record<string, string>;
  /** replica-ratio / service-selector: the Deployments and the selectors of each side. */
  stableDeployment?: string;
  canaryDeployment?: string;
  /** replica-ratio: replicas shared between the two Deployments. */
  totalReplicas?: number;
  stableSelector?: Record<string, string>;
  canarySelector?: Record<string, string>;
  /** Take over an existing object that baton did not create. Default false: refuse it. */
  adopt?: boolean;
}

export interface SetWeightOptions {
  /** What the call waits for, each time it changes; `fraction` 0..1 when known. */
  onProgress?: (message: string, fraction?: number) => void;
  /** Stops a wait promptly (the run was aborted). */
  signal?: AbortSignal;
}

/** The port: set the new version's share and an optional header/cookie route; read them back. */
export interface TrafficRouter {
  readonly kind: RouterKind;
  readonly precision: Precision;
  /**
   * 0..100; anything else is refused (BatonError TRAFFIC_WEIGHT). A router that waits for pods
   * (replica-ratio) says what it waits for through `options.onProgress`, and fails with
   * TRAFFIC_PODS_FAILING when a pod it waits for can never become ready.
   */
  setWeight(weight: number, options?: SetWeightOptions): Promise<void>;
  /** null removes the route. Routers that cannot match requests throw TRAFFIC_UNSUPPORTED. */
  setHeaderRoute(route: HeaderRoute | null): Promise<void>;
  current(): Promise<TrafficSplit>;
}

export type RouterFactory = (kube: KubeClient, config: RouterConfig) => TrafficRouter;
