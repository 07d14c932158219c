import { createGatewayApiRouter } from './gateway-api-router.js';
import { createIstioRouter } from './istio-router.js';
import { createNginxIngressRouter } from './nginx-ingress-router.js';
import { createReplicaRatioRouter } from './replica-ratio-router.js';
import { createServiceSelectorRouter } from './service-selector-router.js';
import type { RouterFactory, RouterKind } from './traffic-router.js';

/** Routers by kind: adding one is a file and a line here. */
export const routers = {
  'service-selector': createServiceSelectorRouter,
  'nginx-ingress': createNginxIngressRouter,
  'gateway-api': createGatewayApiRouter,
  istio: createIstioRouter,
  'replica-ratio': createReplicaRatioRouter,
} satisfies Record<RouterKind, RouterFactory>;

export type { HeaderRoute, Precision, RouterConfig, RouterFactory, RouterKind, TrafficRouter, TrafficSplit } from './traffic-router.js';
