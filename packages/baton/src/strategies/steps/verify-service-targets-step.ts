import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';

/** Params of a `verify-service-targets` step: the Service, the release it must select alone, how long to wait. */
const verifyServiceTargetsParams = z
  .object({
    service: z.string().min(1),
    deployment: z.string().min(1),
    image: z.string().min(1),
    timeoutSeconds: z.number().positive().default(60),
  })
  .strict();

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string> };
}
interface PodLike extends KubeObject {
  spec?: { containers?: Array<{ image?: string }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}
interface ReplicaSetLike extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: Array<{ kind: string; name: string; uid: string; apiVersion: string }> };
}

/** What the Service selects right now, sorted by whether it is the release asked for. */
export interface ServiceTargets {
  /** Ready pods of the target Deployment running the target image. */
  ready: string[];
  /** Pods it selects that belong to another Deployment or run another image. */
  others: string[];
}

/** Reads which pods a Service selects and whether they are the release's own. */
export async function serviceTargets(
  kube: KubeClient,
  o: { namespace: string; service: string; deployment: string; image: string },
): Promise<ServiceTargets | undefined> {
  const svc = await kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: o.service, namespace: o.namespace });
  const selector = svc?.spec?.selector;
  if (!svc || !selector || Object.keys(selector).length === 0) return undefined;
  const { items: pods } = await kube.list<PodLike>({
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: o.namespace,
    labelSelector: selectorString(selector),
  });
  const { items: sets } = await kube.list<ReplicaSetLike>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: o.namespace });
  const deploymentOf = new Map(
    sets.map((rs) => [rs.metadata.uid, rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment')?.name]),
  );
  const out: ServiceTargets = { ready: [], others: [] };
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue; // terminating: out of the endpoints already
    const owner = p.metadata.ownerReferences?.find((r) => r.kind === 'ReplicaSet');
    const ours =
      owner !== undefined && deploymentOf.get(owner.uid) === o.deployment && (p.spec?.containers ?? []).some((c) => c.image === o.image);
    const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (!ours) out.others.push(p.metadata.name);
    else if (ready) out.ready.push(p.metadata.name);
  }
  return out;
}

/**
 * Checks that traffic really moved: the Service selects ready pods of the target Deployment
 * running the target image, and no pod of any other release. Polls for up to `timeoutSeconds`
 * (pods become ready, old ones leave the selection); fails with what it saw otherwise, so a
 * rollback or switch is never reported done while the Service still sends traffic elsewhere.
 */
export const verifyServiceTargetsStep = defineStepKind({
  kind: 'verify-service-targets',
  params: verifyServiceTargetsParams,
  async run(ctx, params, kube: KubeClient) {
    const o = { namespace: ctx.namespace, service: params.service, deployment: params.deployment, image: params.image };
    const deadline = ctx.now() + params.timeoutSeconds * 1000;
    let seen: ServiceTargets | undefined;
    for (;;) {
      seen = await serviceTargets(kube, o);
      if (seen && seen.ready.length > 0 && seen.others.length === 0) {
        return {
          kind: 'done',
          summary: `Service ${o.service} selects ${seen.ready.length} ready pod(s) of ${o.deployment} (${o.image}) and nothing else`,
        };
      }
      if (ctx.now() >= deadline) break;
      await ctx.delay(500);
    }
    const why = !seen
      ? `Service ${o.namespace}/${o.service} is missing or has no selector`
      : seen.others.length > 0
        ? `Service ${o.service} still selects ${seen.others.length} pod(s) of another release (${seen.others.slice(0, 5).join(', ')})`
        : `Service ${o.service} selects no ready pod of ${o.deployment} running ${o.image}`;
    return { kind: 'failed', reason: why };
  },
});

export function createVerifyServiceTargetsStep(kube: KubeClient): StepKind {
  return bindStepKind(verifyServiceTargetsStep, kube);
}
