import type { ClusterView } from '../cluster-view.js';
import { routeHttpRoute } from './http-route.js';
import { routeIngress } from './nginx-ingress.js';
import type { RequestFacts, RouteDecision, RouterContext } from './route-decision.js';
import { routeVirtualService } from './virtual-service.js';

type RouteSource = (view: ClusterView, req: RequestFacts, ctx: RouterContext) => RouteDecision | undefined;

/**
 * The route kinds one ingress port serves, in precedence order when several claim the same host:
 * Ingress (ingress-nginx), then HTTPRoute, then VirtualService. A kind that claims the host
 * decides (even 404); the next kind is asked only when none of its objects names the host.
 */
export const routeSources = { ingress: routeIngress, httpRoute: routeHttpRoute, virtualService: routeVirtualService } satisfies Record<
  string,
  RouteSource
>;

export function routeRequest(view: ClusterView, req: RequestFacts, ctx: RouterContext): RouteDecision {
  for (const source of Object.values(routeSources)) {
    const d = source(view, req, ctx);
    if (d) return d;
  }
  return { kind: 'no-route' };
}
