import type { ClusterView } from '../cluster-view.js';
import { routeHttpRoute } from './http-route.js';
import { routeIngress } from './nginx-ingress.js';
import type { RequestFacts, RouteDecision, RouterContext } from './route-decision.js';
import { routeVirtualService } from './virtual-service.js';

type RouteSource = (view: ClusterView, req: RequestFacts, ctx: RouterContext) => RouteDecision | undefined;

/**
 * The route kinds one ingress port serves, in precedence order when several claim the same host:
 * Ingress (ingress-nginx), then HTTPRoute, then VirtualService. Named-host claims are tried
 * before catch-all ones (see HostClaim); a kind that claims the host decides, even with a 404.
 */
export const routeSources = { ingress: routeIngress, httpRoute: routeHttpRoute, virtualService: routeVirtualService } satisfies Record<
  string,
  RouteSource
>;

const claims = ['named', 'catch-all'] as const;
const sources: readonly RouteSource[] = Object.values(routeSources);

export function routeRequest(view: ClusterView, req: RequestFacts, ctx: Omit<RouterContext, 'claim'>): RouteDecision {
  for (const claim of claims) {
    const withClaim: RouterContext = { ...ctx, claim };
    for (const source of sources) {
      const d = source(view, req, withClaim);
      if (d) return d;
    }
  }
  return { kind: 'no-route' };
}
