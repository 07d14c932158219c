import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { DeploymentLike } from '../workload.js';
import { waitForRollout } from './rollout-watch.js';

/**
 * Waits `afterSeconds` (blue-green's scaleDownDelay: the old colour stays warm for an instant
 * switch back), then scales a Deployment. Undo scales it back and waits until it is available.
 */
export function createScaleStep(kube: KubeClient): StepKind {
  const scaleTo = async (ctx: RunContext, name: string, replicas: number): Promise<DeploymentLike> =>
    kube.mergePatch<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace }, { spec: { replicas } });
  return {
    kind: 'scale',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const name = step.params.deployment as string;
      const replicas = step.params.replicas as number;
      const afterSeconds = (step.params.afterSeconds as number | undefined) ?? 0;
      const live = await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace });
      if (!live) return { kind: 'done', summary: `Deployment ${name} is already gone` };
      if (!('previousReplicas' in ctx.checkpoints)) await ctx.checkpoint({ previousReplicas: live.spec.replicas ?? 1 });
      if (afterSeconds > 0) {
        ctx.progress(`keeping Deployment ${name} for ${afterSeconds}s before scaling to ${replicas}`);
        await ctx.delay(afterSeconds * 1000);
      }
      await scaleTo(ctx, name, replicas);
      return { kind: 'done', summary: `Deployment ${name} scaled to ${replicas}` };
    },
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      if (!('previousReplicas' in checkpoint)) return;
      const name = step.params.deployment as string;
      const applied = await scaleTo(ctx, name, checkpoint.previousReplicas as number);
      const image = applied.spec.template.spec.containers[0]?.image ?? '';
      const verdict = await waitForRollout(kube, applied, image, { timeoutMs: 300_000, signal: new AbortController().signal });
      if (verdict.kind === 'failed') throw new Error(`scaling ${name} back up did not complete: ${verdict.reason}`);
    },
  };
}
