import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { BatonError } from '../../errors.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';

interface ServiceLike extends KubeObject { spec?: { selector?: Record<string, string> } }

/**
 * Points a Service at other pods by replacing its selector in one write: the blue-green switch.
 * Undo switches back to the recorded selector, which is the instant rollback blue-green promises.
 */
export function createSwitchSelectorStep(kube: KubeClient): StepKind {
  const setSelector = async (ctx: RunContext, service: string, selector: Record<string, string>): Promise<void> => {
    const ref = { apiVersion: 'v1', kind: 'Service', name: service, namespace: ctx.namespace };
    const live = await kube.get<ServiceLike>(ref);
    if (!live) throw new BatonError('SERVICE_MISSING', `Service ${ctx.namespace}/${service} does not exist`);
    // A merge patch merges maps; null out keys that must go so the selector is exactly `selector`.
    const patch: Record<string, string | null> = { ...selector };
    for (const key of Object.keys(live.spec?.selector ?? {})) if (!(key in selector)) patch[key] = null;
    await kube.mergePatch(ref, { spec: { selector: patch } });
  };
  return {
    kind: 'switch-selector',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const service = step.params.service as string;
      const selector = step.params.selector as Record<string, string>;
      if (!('previous' in ctx.checkpoints)) {
        const live = await kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: service, namespace: ctx.namespace });
        if (!live) return { kind: 'failed', reason: `Service ${ctx.namespace}/${service} does not exist` };
        await ctx.checkpoint({ previous: (live.spec?.selector ?? {}) as JsonObject });
      }
      ctx.progress(`Service ${service} -> ${selectorString(selector)}`);
      await setSelector(ctx, service, selector);
      return { kind: 'done', summary: `Service ${service} now selects ${JSON.stringify(selector)}`, data: { switchedAt: ctx.now() } };
    },
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      if (!('previous' in checkpoint)) return;
      ctx.progress(`switching Service ${String(step.params.service)} back`);
      await setSelector(ctx, step.params.service as string, checkpoint.previous as Record<string, string>);
    },
  };
}
