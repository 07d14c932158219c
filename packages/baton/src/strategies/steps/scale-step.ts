import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { RunContext, StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { waitForRollout } from './rollout-watch.js';
import { selectorString } from '../../kube/label-selector.js';

/** Params of a `scale` step: the Deployment, its new replica count, and how long to wait first. */
const scaleParams = z
  .object({
    deployment: z.string().min(1),
    replicas: z.number().int().nonnegative(),
    afterSeconds: z.number().nonnegative().default(0),
  })
  .strict();

const scaleTo = async (kube: KubeClient, ctx: RunContext, name: string, replicas: number): Promise<DeploymentLike> =>
  kube.mergePatch<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace }, { spec: { replicas } });

/**
 * Waits `afterSeconds` (blue-green's scaleDownDelay: the old colour stays warm for an instant
 * switch back), then scales a Deployment. Undo scales it back and waits until it is available.
 */
export const scaleStep = defineStepKind({
  kind: 'scale',
  params: scaleParams,
  async run(ctx, { deployment: name, replicas, afterSeconds }, kube: KubeClient) {
    const live = await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace });
    if (!live) return { kind: 'done', summary: `Deployment ${name} is already gone` };
    if (!('previousReplicas' in ctx.checkpoints)) await ctx.checkpoint({ previousReplicas: live.spec.replicas ?? 1 });
    if (afterSeconds > 0) {
      ctx.progress(`keeping Deployment ${name} for ${afterSeconds}s before scaling to ${replicas}`);
      await ctx.delay(afterSeconds * 1000);
    }
    const scaled = await scaleTo(kube, ctx, name, replicas);
    if (replicas === 0) {
      // Wait for the pods to be gone, not just for the number to change: a Service switch does
      // not move keep-alive clients, so old pods keep serving them until they drain and exit.
      // Count only pods this Deployment owns (through its ReplicaSets): another colour's pods may
      // match the same labels.
      const selector = selectorString(scaled.spec.selector.matchLabels);
      const { items: sets } = await kube.list<KubeObject>({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        namespace: ctx.namespace,
        labelSelector: selector,
      });
      const owned = new Set(
        sets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === scaled.metadata.uid)).map((rs) => rs.metadata.uid),
      );
      try {
        await kube.watchUntil<KubeObject, true>(
          { apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector: selector },
          (pods) => {
            const left = [...pods.values()].filter((p) => p.metadata.ownerReferences?.some((o) => owned.has(o.uid))).length;
            if (left === 0) return true;
            ctx.progress(`${left} pod(s) of ${name} draining`);
            return undefined;
          },
          { timeoutMs: 600_000, signal: ctx.signal, what: `pods of ${name} to drain and exit` },
        );
      } catch (error) {
        return { kind: 'failed', reason: (error as Error).message };
      }
    }
    return { kind: 'done', summary: `Deployment ${name} scaled to ${replicas}${replicas === 0 ? ', its pods drained and gone' : ''}` };
  },
  async undo(ctx, { deployment: name }, checkpoint, kube: KubeClient) {
    if (typeof checkpoint.previousReplicas !== 'number') return;
    const applied = await scaleTo(kube, ctx, name, checkpoint.previousReplicas);
    const image = applied.spec.template.spec.containers[0]?.image ?? '';
    const verdict = await waitForRollout(kube, applied, image, { timeoutMs: 300_000, signal: new AbortController().signal });
    if (verdict.kind === 'failed') throw new Error(`scaling ${name} back up did not complete: ${verdict.reason}`);
  },
});

export function createScaleStep(kube: KubeClient): StepKind {
  return bindStepKind(scaleStep, kube);
}
