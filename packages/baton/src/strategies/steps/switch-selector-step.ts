import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { RunContext, StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { BatonError } from '../../errors.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/** Params of a `switch-selector` step: the Service and the exact selector it gets. */
const switchSelectorParams = z
  .object({
    service: z.string().min(1),
    selector: z.record(z.string(), z.string()),
    /**
     * A Deployment whose pods the selector must name alone. Its pod-template-hash is only known once
     * it rolled out (a rollback to a plain Deployment), so it is read at run time.
     */
    pinTo: z.string().min(1).optional(),
  })
  .strict();

const selectorSchema = z.record(z.string(), z.string());

async function setSelector(kube: KubeClient, ctx: RunContext, service: string, selector: Record<string, string>): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Service', name: service, namespace: ctx.namespace };
  const live = await kube.get<ServiceLike>(ref);
  if (!live) throw new BatonError('SERVICE_MISSING', `Service ${ctx.namespace}/${service} does not exist`);
  // A merge patch merges maps; null out keys that must go so the selector is exactly `selector`.
  const patch: Record<string, string | null> = { ...selector };
  for (const key of Object.keys(live.spec?.selector ?? {})) if (!(key in selector)) patch[key] = null;
  await kube.mergePatch(ref, { spec: { selector: patch } });
}

/**
 * Points a Service at other pods by replacing its selector in one write: the blue-green switch.
 * Undo switches back to the recorded selector, which is the instant rollback blue-green promises.
 */
export const switchSelectorStep = defineStepKind({
  kind: 'switch-selector',
  params: switchSelectorParams,
  async run(ctx, { service, selector: planned, pinTo }, kube: KubeClient) {
    let selector = planned;
    if (pinTo) {
      const hash = await newestPodTemplateHash(kube, ctx.namespace, pinTo);
      if (!hash) return { kind: 'failed', reason: `Deployment ${ctx.namespace}/${pinTo} has no ReplicaSet to pin Service ${service} to` };
      selector = { ...selector, 'pod-template-hash': hash };
    }
    if (!('previous' in ctx.checkpoints)) {
      const live = await kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: service, namespace: ctx.namespace });
      if (!live) return { kind: 'failed', reason: `Service ${ctx.namespace}/${service} does not exist` };
      await ctx.checkpoint({ previous: { ...(live.spec?.selector ?? {}) } });
    }
    ctx.progress(`Service ${service} -> ${selectorString(selector)}`);
    await setSelector(kube, ctx, service, selector);
    return { kind: 'done', summary: `Service ${service} now selects ${JSON.stringify(selector)}`, data: { switchedAt: ctx.now() } };
  },
  async undo(ctx, { service }, checkpoint, kube: KubeClient) {
    const previous = selectorSchema.safeParse(checkpoint.previous);
    if (!previous.success) return;
    ctx.progress(`switching Service ${service} back`);
    await setSelector(kube, ctx, service, previous.data);
  },
});

export function createSwitchSelectorStep(kube: KubeClient): StepKind {
  return bindStepKind(switchSelectorStep, kube);
}

/** The pod-template-hash of a Deployment's ReplicaSet with the highest revision. */
async function newestPodTemplateHash(kube: KubeClient, namespace: string, name: string): Promise<string | undefined> {
  const d = await kube.get<KubeObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } }>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name,
    namespace,
  });
  if (!d) return undefined;
  const { items } = await kube.list<KubeObject>({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    namespace,
    labelSelector: selectorString(d.spec?.selector?.matchLabels ?? {}),
  });
  const revision = (rs: KubeObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const owned = items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid))
    .sort((a, b) => revision(b) - revision(a));
  return owned[0]?.metadata.labels?.['pod-template-hash'];
}
