import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import { toJsonObject } from '../../json.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { describeRef, refOf, type KubeObject } from '../../kube/kube-object.js';
import { kubeObjectSchema, objectRefSchema } from '../../kube/workload-schemas.js';
import { forReapply } from '../workload.js';

/** Params of an `apply-objects` step: the supporting objects, as the manifests give them. */
const applyObjectsParams = z.object({ objects: z.array(kubeObjectSchema).default([]) }).strict();

/** What the checkpoint holds: each object's version before the step, or null when it did not exist. */
const previousSchema = z.array(z.object({ ref: objectRefSchema, object: kubeObjectSchema.nullable() }));

/**
 * Applies supporting objects (Services, PodDisruptionBudgets, Ingresses, ConfigMaps...). Undo puts
 * back each object's previous version, or deletes it when it did not exist before.
 */
export const applyObjectsStep = defineStepKind({
  kind: 'apply-objects',
  params: applyObjectsParams,
  async run(ctx, params, kube: KubeClient) {
    const { objects } = params;
    if (!('previous' in ctx.checkpoints)) {
      const previous = [];
      for (const object of objects) {
        const live = await kube.get(refWithNs(object, ctx.namespace));
        previous.push({ ref: refWithNs(object, ctx.namespace), object: live ? forReapply(live) : null });
      }
      await ctx.checkpoint(toJsonObject({ previous }));
    }
    for (const object of objects) {
      ctx.progress(`applying ${describeRef(refWithNs(object, ctx.namespace))}`);
      await kube.apply(
        { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? ctx.namespace } },
        { force: true },
      );
    }
    return { kind: 'done', summary: `applied ${objects.length} object(s)` };
  },
  async undo(ctx, _params, checkpoint, kube) {
    const recorded = previousSchema.safeParse(checkpoint['previous'] ?? []);
    if (!recorded.success) throw new Error('the checkpoint of apply-objects holds no list of previous objects to restore');
    for (const entry of [...recorded.data].reverse()) {
      if (entry.object === null) {
        ctx.progress(`deleting ${describeRef(entry.ref)} (it did not exist before)`);
        await kube.delete(entry.ref);
      } else {
        ctx.progress(`restoring ${describeRef(entry.ref)}`);
        await kube.apply(entry.object, { force: true });
      }
    }
  },
});

export function createApplyObjectsStep(kube: KubeClient): StepKind {
  return bindStepKind(applyObjectsStep, kube);
}

function refWithNs(object: KubeObject, namespace: string): ReturnType<typeof refOf> {
  const ref = refOf(object);
  return { ...ref, namespace: ref.namespace ?? namespace };
}
