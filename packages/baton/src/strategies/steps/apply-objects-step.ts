import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { describeRef, refOf, type KubeObject } from '../../kube/kube-object.js';
import { forReapply } from '../workload.js';

/**
 * Applies supporting objects (Services, PodDisruptionBudgets, Ingresses, ConfigMaps...). Undo puts
 * back each object's previous version, or deletes it when it did not exist before.
 */
export function createApplyObjectsStep(kube: KubeClient): StepKind {
  return {
    kind: 'apply-objects',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const objects = (step.params.objects ?? []) as unknown as KubeObject[];
      if (!('previous' in ctx.checkpoints)) {
        const previous: JsonObject[] = [];
        for (const object of objects) {
          const live = await kube.get(refWithNs(object, ctx.namespace));
          previous.push({ ref: refWithNs(object, ctx.namespace) as unknown as JsonObject, object: live ? (forReapply(live) as unknown as JsonObject) : null });
        }
        await ctx.checkpoint({ previous });
      }
      for (const object of objects) {
        ctx.progress(`applying ${describeRef(refWithNs(object, ctx.namespace))}`);
        await kube.apply({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? ctx.namespace } }, { force: true });
      }
      return { kind: 'done', summary: `applied ${objects.length} object(s)` };
    },
    async undo(ctx: RunContext, _step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      const previous = (checkpoint.previous ?? []) as unknown as Array<{ ref: { apiVersion: string; kind: string; name: string; namespace?: string }; object: KubeObject | null }>;
      for (const entry of [...previous].reverse()) {
        if (entry.object === null) {
          ctx.progress(`deleting ${describeRef(entry.ref)} (it did not exist before)`);
          await kube.delete(entry.ref);
        } else {
          ctx.progress(`restoring ${describeRef(entry.ref)}`);
          await kube.apply(entry.object, { force: true });
        }
      }
    },
  };
}

function refWithNs(object: KubeObject, namespace: string): ReturnType<typeof refOf> {
  const ref = refOf(object);
  return { ...ref, namespace: ref.namespace ?? namespace };
}
