import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { createRouter } from '../../traffic/index.js';
import { headerRouteFromJson, headerRouteToJson } from '../../traffic/header-route-json.js';
import { routerConfigSchema } from '../../traffic/router-config-schema.js';
import type { RouterConfig } from '../../traffic/traffic-router.js';

const routerOf = (kube: KubeClient, config: RouterConfig) => createRouter(kube, config);
const headerRoute = z.union([
  z.object({ kind: z.literal('header'), name: z.string(), value: z.string() }).strict(),
  z.object({ kind: z.literal('cookie'), name: z.string() }).strict(),
]);

/**
 * `router` (a RouterConfig) and `route` (a HeaderRoute, or null to remove it): requests that
 * match go to the new version only. Undo puts back the route that was there before.
 */
export const setHeaderRouteStep = defineStepKind({
  kind: 'set-header-route',
  params: z.object({ router: routerConfigSchema, route: headerRoute.nullable() }).strict(),
  async run(ctx, params, kube: KubeClient) {
    const router = routerOf(kube, params.router);
    const { route } = params;
    if (!('previousRoute' in ctx.checkpoints)) await ctx.checkpoint({ previousRoute: headerRouteToJson((await router.current()).route) });
    await router.setHeaderRoute(route);
    const describe =
      route === null
        ? 'no header route'
        : route.kind === 'header'
          ? `requests with ${route.name}: ${route.value}`
          : `requests with cookie ${route.name}=always`;
    return { kind: 'done', summary: `${router.kind}: ${describe} -> new version`, data: { route: headerRouteToJson(route) } };
  },
  async undo(ctx, params, checkpoint, kube) {
    if (!('previousRoute' in checkpoint)) return;
    ctx.progress('removing the header route');
    await routerOf(kube, params.router).setHeaderRoute(headerRouteFromJson(checkpoint.previousRoute));
  },
});

export function createSetHeaderRouteStep(kube: KubeClient): StepKind {
  return bindStepKind(setHeaderRouteStep, kube);
}
