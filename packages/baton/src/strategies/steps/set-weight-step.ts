import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { routers } from '../../traffic/index.js';
import type { RouterConfig } from '../../traffic/traffic-router.js';

/**
 * Params: `router` (a RouterConfig), `weight` (0..100), and `restoreOnUndo`. Only the first
 * set-weight of a plan restores on undo (to the weight before the canary: 0): later ones undo to
 * nothing, so a rollback puts all traffic back on stable in one write instead of replaying every
 * step backwards while the bad version keeps its share.
 */
export function createSetWeightStep(kube: KubeClient): StepKind {
  const routerOf = (step: PlannedStep) => routers[(step.params.router as unknown as RouterConfig).kind](kube, step.params.router as unknown as RouterConfig);
  return {
    kind: 'set-weight',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const router = routerOf(step);
      const weight = step.params.weight as number;
      if (!('previousWeight' in ctx.checkpoints)) {
        const before = await router.current();
        await ctx.checkpoint({ previousWeight: before.weight });
      }
      ctx.progress(`${router.kind}: ${weight}% of traffic to the new version`);
      await router.setWeight(weight);
      const now = await router.current();
      return {
        kind: 'done',
        summary: `${router.kind}: new version at ${now.weight}%${now.precision === 'approximate' ? ' (approximate: by replica counts)' : ''}`,
        data: { weight: now.weight, precision: now.precision, at: ctx.now() },
      };
    },
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      if (step.params.restoreOnUndo !== true || !('previousWeight' in checkpoint)) return;
      const weight = checkpoint.previousWeight as number;
      ctx.progress(`all traffic back: new version at ${weight}%`);
      await routerOf(step).setWeight(weight);
    },
  };
}
