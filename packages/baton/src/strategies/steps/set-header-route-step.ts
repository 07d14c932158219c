import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { routers } from '../../traffic/index.js';
import { headerRouteFromJson, headerRouteToJson } from '../../traffic/header-route-json.js';
import type { RouterConfig } from '../../traffic/traffic-router.js';

/**
 * Params: `router` (a RouterConfig) and `route` (a HeaderRoute, or null to remove it): requests
 * that match go to the new version only. Undo puts back the route that was there before.
 */
export function createSetHeaderRouteStep(kube: KubeClient): StepKind {
  const routerOf = (step: PlannedStep) => routers[(step.params.router as unknown as RouterConfig).kind](kube, step.params.router as unknown as RouterConfig);
  return {
    kind: 'set-header-route',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const router = routerOf(step);
      const route = headerRouteFromJson(step.params.route);
      if (!('previousRoute' in ctx.checkpoints)) await ctx.checkpoint({ previousRoute: headerRouteToJson((await router.current()).route) });
      await router.setHeaderRoute(route);
      const describe = route === null ? 'no header route' : route.kind === 'header' ? `requests with ${route.name}: ${route.value}` : `requests with cookie ${route.name}=always`;
      return { kind: 'done', summary: `${router.kind}: ${describe} -> new version`, data: { route: headerRouteToJson(route) } };
    },
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      if (!('previousRoute' in checkpoint)) return;
      ctx.progress('removing the header route');
      await routerOf(step).setHeaderRoute(headerRouteFromJson(checkpoint.previousRoute));
    },
  };
}
