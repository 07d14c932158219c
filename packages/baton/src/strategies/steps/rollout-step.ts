import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import { toJsonObject } from '../../json.js';
import { deploymentSchema } from '../../kube/workload-schemas.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { forReapply, renameConfigReferences } from '../workload.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import { waitForRollout } from './rollout-watch.js';

/** Params of a `rollout` step: the exact Deployment to apply, and how long to wait for it. */
const rolloutParams = z
  .object({
    deployment: deploymentSchema,
    /** The image whose pods we watch for crash loops. */
    image: z.string(),
    timeoutSeconds: z.number().positive(),
    /** Step id of a config-snapshot step whose renames apply to this Deployment. */
    configFrom: z.string().optional(),
  })
  .strict();
export type RolloutParams = z.output<typeof rolloutParams>;

/**
 * Applies a Deployment (server-side apply) and waits until the rollout completes. Undo puts back
 * the template that was live before (recorded in a checkpoint before anything changed), which the
 * Deployment controller treats as a rollback to the old ReplicaSet; a Deployment that did not
 * exist before is deleted.
 */
export const rolloutStep = defineStepKind({
  kind: 'rollout',
  params: rolloutParams,
  async run(ctx, params, kube: KubeClient) {
    let desired = structuredClone(params.deployment);
    if (params.configFrom) {
      const renames = ctx.results[params.configFrom] as
        | { configMaps?: Record<string, string>; secrets?: Record<string, string> }
        | undefined;
      desired.spec.template.spec = renameConfigReferences(desired.spec.template.spec, renames?.configMaps ?? {}, renames?.secrets ?? {});
    }
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: desired.metadata.name,
      namespace: desired.metadata.namespace ?? ctx.namespace,
    };
    desired = { ...desired, metadata: { ...desired.metadata, namespace: ref.namespace } };
    const live = await kube.get<DeploymentLike>(ref);
    // Record what was there before touching anything, unless an earlier attempt already did
    // (after a crash the live object may already be ours).
    if (!('previous' in ctx.checkpoints)) {
      await ctx.checkpoint({ previous: live ? toJsonObject(forReapply(live)) : null });
    }
    ctx.progress(`applying Deployment ${ref.name} (${params.image})`);
    const applied = await kube.apply<DeploymentLike>(desired as DeploymentLike, { force: true });
    const verdict = await waitForRollout(kube, applied, params.image, {
      timeoutMs: params.timeoutSeconds * 1000,
      signal: ctx.signal,
      onProgress: (message, fraction) => ctx.progress(message, fraction),
    });
    if (verdict.kind === 'failed') return { kind: 'failed', reason: verdict.reason };
    return { kind: 'done', summary: `Deployment ${ref.name} runs ${params.image}`, data: { deployment: ref.name, image: params.image } };
  },
  async undo(ctx, params, checkpoint, kube) {
    const name = params.deployment.metadata.name;
    const namespace = params.deployment.metadata.namespace ?? ctx.namespace;
    if (!('previous' in checkpoint)) return; // never got as far as changing anything
    const recorded = deploymentSchema.nullable().safeParse(checkpoint.previous);
    if (!recorded.success) throw new Error(`the checkpoint of Deployment ${name} holds no Deployment to restore`);
    const previous = recorded.data;
    if (previous === null) {
      ctx.progress(`deleting Deployment ${name} (it did not exist before)`);
      await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
      return;
    }
    ctx.progress(`restoring Deployment ${name} to its previous template`);
    // A drain hold paused it before the rollout (its old ReplicaSets were orphaned): the
    // rollback must roll, and its re-created ReplicaSet re-adopts the held pods.
    if (previous.spec.paused === true) previous.spec.paused = false;
    const image = previous.spec.template.spec.containers[0]?.image ?? '';
    const applied = await kube.apply<DeploymentLike>(previous, { force: true });
    const verdict = await waitForRollout(kube, applied, image, {
      timeoutMs: params.timeoutSeconds * 1000,
      signal: new AbortController().signal, // undo must finish even when the run was cancelled
      onProgress: (message, fraction) => ctx.progress(`undo: ${message}`, fraction),
    });
    if (verdict.kind === 'failed') throw new Error(`rollback of Deployment ${name} did not complete: ${verdict.reason}`);
  },
});

export function createRolloutStep(kube: KubeClient): StepKind {
  return bindStepKind(rolloutStep, kube);
}
