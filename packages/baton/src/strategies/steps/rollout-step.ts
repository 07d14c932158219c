import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { forReapply, renameConfigReferences, type DeploymentLike } from '../workload.js';
import { waitForRollout } from './rollout-watch.js';

/** Params of a `rollout` step: the exact Deployment to apply, and how long to wait for it. */
export interface RolloutParams {
  deployment: DeploymentLike;
  /** The image whose pods we watch for crash loops. */
  image: string;
  timeoutSeconds: number;
  /** Step id of a config-snapshot step whose renames apply to this Deployment. */
  configFrom?: string;
}

function paramsOf(step: PlannedStep): RolloutParams {
  return step.params as unknown as RolloutParams;
}

/**
 * Applies a Deployment (server-side apply) and waits until the rollout completes. Undo puts back
 * the template that was live before (recorded in a checkpoint before anything changed), which the
 * Deployment controller treats as a rollback to the old ReplicaSet; a Deployment that did not
 * exist before is deleted.
 */
export function createRolloutStep(kube: KubeClient): StepKind {
  return {
    kind: 'rollout',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const params = paramsOf(step);
      let desired = structuredClone(params.deployment);
      if (params.configFrom) {
        const renames = ctx.results[params.configFrom] as { configMaps?: Record<string, string>; secrets?: Record<string, string> } | undefined;
        desired.spec.template.spec = renameConfigReferences(desired.spec.template.spec, renames?.configMaps ?? {}, renames?.secrets ?? {});
      }
      const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: desired.metadata.name, namespace: desired.metadata.namespace ?? ctx.namespace };
      desired = { ...desired, metadata: { ...desired.metadata, namespace: ref.namespace } };
      const live = await kube.get<DeploymentLike>(ref);
      // Record what was there before touching anything, unless an earlier attempt already did
      // (after a crash the live object may already be ours).
      if (!('previous' in ctx.checkpoints)) {
        await ctx.checkpoint({ previous: live ? (forReapply(live) as unknown as JsonObject) : null });
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
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      const params = paramsOf(step);
      const name = params.deployment.metadata.name;
      const namespace = params.deployment.metadata.namespace ?? ctx.namespace;
      if (!('previous' in checkpoint)) return; // never got as far as changing anything
      const previous = checkpoint.previous as unknown as DeploymentLike | null;
      if (previous === null) {
        ctx.progress(`deleting Deployment ${name} (it did not exist before)`);
        await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
        return;
      }
      ctx.progress(`restoring Deployment ${name} to its previous template`);
      const image = previous.spec.template.spec.containers[0]?.image ?? '';
      const applied = await kube.apply<DeploymentLike>(previous, { force: true });
      const verdict = await waitForRollout(kube, applied, image, {
        timeoutMs: params.timeoutSeconds * 1000,
        signal: new AbortController().signal, // undo must finish even when the run was cancelled
        onProgress: (message, fraction) => ctx.progress(`undo: ${message}`, fraction),
      });
      if (verdict.kind === 'failed') throw new Error(`rollback of Deployment ${name} did not complete: ${verdict.reason}`);
    },
  };
}
