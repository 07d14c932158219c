import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import { BatonError } from '../../errors.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { createRouter } from '../../traffic/index.js';
import { routerConfigSchema } from '../../traffic/router-config-schema.js';
import type { RouterConfig } from '../../traffic/traffic-router.js';

const routerOf = (kube: KubeClient, config: RouterConfig) => createRouter(kube, config);

/**
 * `router` (a RouterConfig), `weight` (0..100), and `restoreOnUndo`. Only the first set-weight of
 * a plan restores on undo (to the weight before the canary: 0): later ones undo to nothing, so a
 * rollback puts all traffic back on stable in one write instead of replaying every step
 * backwards while the bad version keeps its share.
 */
export const setWeightStep = defineStepKind({
  kind: 'set-weight',
  params: z.object({ router: routerConfigSchema, weight: z.number().min(0).max(100), restoreOnUndo: z.boolean().optional() }).strict(),
  async run(ctx, params, kube: KubeClient) {
    const router = routerOf(kube, params.router);
    if (!('previousWeight' in ctx.checkpoints)) {
      const before = await router.current();
      await ctx.checkpoint({ previousWeight: before.weight });
    }
    ctx.progress(`${router.kind}: ${params.weight}% of traffic to the new version`);
    try {
      await router.setWeight(params.weight, { onProgress: (message, fraction) => ctx.progress(message, fraction), signal: ctx.signal });
    } catch (error) {
      // Pods that can never become ready are the new version failing, not baton: a failed step.
      if (error instanceof BatonError && error.code === 'TRAFFIC_PODS_FAILING') return { kind: 'failed', reason: error.message };
      throw error;
    }
    const now = await router.current();
    return {
      kind: 'done',
      summary: `${router.kind}: new version at ${now.weight}%${now.precision === 'approximate' ? ' (approximate: by replica counts)' : ''}`,
      data: { weight: now.weight, precision: now.precision, at: ctx.now() },
    };
  },
  async undo(ctx, params, checkpoint, kube) {
    const weight = checkpoint.previousWeight;
    if (params.restoreOnUndo !== true || typeof weight !== 'number') return;
    ctx.progress(`all traffic back: new version at ${weight}%`);
    await routerOf(kube, params.router).setWeight(weight);
  },
});

export function createSetWeightStep(kube: KubeClient): StepKind {
  return bindStepKind(setWeightStep, kube);
}
