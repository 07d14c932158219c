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
      let selector = step.params.selector as Record<string, string>;
      // pinTo: a Deployment whose pods the selector must name alone. Its pod-template-hash is only
      // known once it rolled out (a rollback to a plain Deployment), so it is read here.
      const pinTo = step.params.pinTo as string | undefined;
      if (pinTo) {
        const hash = await newestPodTemplateHash(kube, ctx.namespace, pinTo);
        if (!hash) return { kind: 'failed', reason: `Deployment ${ctx.namespace}/${pinTo} has no ReplicaSet to pin Service ${service} to` };
        selector = { ...selector, 'pod-template-hash': hash };
      }
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

/** The pod-template-hash of a Deployment's ReplicaSet with the highest revision. */
async function newestPodTemplateHash(kube: KubeClient, namespace: string, name: string): Promise<string | undefined> {
  const d = await kube.get<KubeObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
  if (!d) return undefined;
  const { items } = await kube.list<KubeObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: selectorString(d.spec?.selector?.matchLabels ?? {}) });
  const revision = (rs: KubeObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const owned = items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid)).sort((a, b) => revision(b) - revision(a));
  return owned[0]?.metadata.labels?.['pod-template-hash'];
}
