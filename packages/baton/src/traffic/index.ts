import { createGatewayApiRouter } from './gateway-api-router.js';
import { createIstioRouter } from './istio-router.js';
import { createNginxIngressRouter } from './nginx-ingress-router.js';
import { createReplicaRatioRouter } from './replica-ratio-router.js';
import { createServiceSelectorRouter } from './service-selector-router.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { Precision, RouterConfig, RouterFactory, RouterKind, TrafficRouter } from './traffic-router.js';

/** The spec.traffic fields a router may need, and how a message names each. */
export type RouterObjectField = 'ingress' | 'httpRoute' | 'gateway';

/** What a router can do, read by planners (never `kind === ...` checks in the strategies). */
export interface RouterTraits {
  create: RouterFactory;
  /** How close the measured split comes to the weight set (see Precision). */
  precision: Precision;
  /** Can send requests with a header or cookie to the new version only (A/B). */
  headerRoutes: boolean;
  /**
   * One Service in front of both Deployments, the split made by their replica counts: the canary
   * starts at 0 replicas and the Service selects both sides.
   */
  sharedService: boolean;
  /** spec.traffic fields naming objects it must find, checked at plan time (with what to say). */
  requires: Array<{ field: RouterObjectField; what: string }>;
}

/** Routers by kind: adding one is a file and an entry here. */
export const routerTraits = {
  'service-selector': { create: createServiceSelectorRouter, precision: 'exact', headerRoutes: false, sharedService: false, requires: [] },
  'nginx-ingress': {
    create: createNginxIngressRouter,
    precision: 'exact',
    headerRoutes: true,
    sharedService: false,
    requires: [{ field: 'ingress', what: 'your main Ingress' }],
  },
  'gateway-api': {
    create: createGatewayApiRouter,
    precision: 'exact',
    headerRoutes: true,
    sharedService: false,
    requires: [
      { field: 'httpRoute', what: 'the HTTPRoute baton writes' },
      { field: 'gateway', what: 'the Gateway it attaches to' },
    ],
  },
  istio: { create: createIstioRouter, precision: 'exact', headerRoutes: true, sharedService: false, requires: [] },
  'replica-ratio': { create: createReplicaRatioRouter, precision: 'approximate', headerRoutes: false, sharedService: true, requires: [] },
} satisfies Record<RouterKind, RouterTraits>;

/** The router a config names, bound to a client. */
export function createRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  return routerTraits[config.kind].create(kube, config);
}

/** The routers that can do A/B, for messages. */
export const headerRouters = (): string[] =>
  Object.entries(routerTraits)
    .filter(([, t]) => t.headerRoutes)
    .map(([kind]) => kind);

export type { HeaderRoute, Precision, RouterConfig, RouterFactory, RouterKind, TrafficRouter, TrafficSplit } from './traffic-router.js';
