import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { KubeApiError } from '../kube/kube-errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Plan } from '../plan/plan.js';

/** One object the API server refused in the dry run, with its words. */
export interface DryRunRefusal {
  object: string;
  step: string;
  message: string;
}

/**
 * Every object the plan will write, sent through the API server's own validation first:
 * server-side apply with `dryRun=All`, which runs defaulting, schema validation (unknown fields
 * are refused by server-side apply), admission and size limits, and stores nothing. What only the
 * server knows — a wrong apiVersion (404), maxSurge 0 with maxUnavailable 0 (422), a ConfigMap
 * over the size limit (413), a kind whose CRD is not installed, a permission the user lacks (403)
 * — then fails the plan, before the backup, the migrations or the config pinning change anything.
 */
export async function dryRunPlan(plan: Plan, kube: KubeClient, namespace: string): Promise<DryRunRefusal[]> {
  const refusals: DryRunRefusal[] = [];
  const seen = new Set<string>();
  for (const step of plan.steps) {
    for (const object of objectsIn(step.params)) {
      const withNamespace = { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } };
      // The same object planned by two steps is checked once; two versions of it are both checked.
      const key = JSON.stringify(withNamespace);
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        await kube.apply(withNamespace, { force: true, dryRun: true });
      } catch (error) {
        // Unreachable is not a verdict on the object: it surfaces as what it is (exit 5).
        if (!(error instanceof KubeApiError) || error.status === 0) throw error;
        refusals.push({ object: `${object.kind}/${object.metadata.name}`, step: step.id, message: refusalMessage(object, error) });
      }
    }
  }
  return refusals;
}

/** Where today's servers serve the built-in kinds a release manifest names (for the 404's fix). */
const servedAt: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  PersistentVolumeClaim: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  HTTPRoute: 'gateway.networking.k8s.io/v1',
};

/**
 * The server's words, except for its bare 404: "the server could not find the requested
 * resource" names neither the kind nor the apiVersion, and the fault is almost always the
 * apiVersion (a removed beta such as apps/v1beta1) or a CRD that is not installed.
 */
function refusalMessage(object: KubeObject, error: KubeApiError): string {
  if (error.status !== 404 || !/could not find the requested resource/.test(error.message)) return error.message;
  const served = servedAt[object.kind];
  const fix =
    served && served !== object.apiVersion
      ? `this server serves ${object.kind} as apiVersion ${served}`
      : `install the CRD that defines ${object.kind} in ${object.apiVersion}, or correct the apiVersion (\`kubectl api-resources\` lists what this server serves)`;
  return `the server does not serve kind ${object.kind} in apiVersion ${object.apiVersion} (HTTP 404): ${fix}`;
}

/** Throws (exit 2) when the dry run refused anything; nothing has been changed at that point. */
export async function refuseWhatTheServerRefuses(plan: Plan, kube: KubeClient, namespace: string): Promise<void> {
  const refusals = await dryRunPlan(plan, kube, namespace);
  if (refusals.length === 0) return;
  const lines = refusals.map((r) => `  - ${r.object} (step ${r.step}): ${r.message}`).join('\n');
  throw new BatonError(
    'PLAN_REFUSED_BY_SERVER',
    `the API server refuses ${refusals.length === 1 ? 'an object' : `${refusals.length} objects`} of this plan (server-side dry run); nothing was changed:\n${lines}`,
    {
      hint: 'fix the manifests as the message says, then run baton plan again',
    },
  );
}

/** Kubernetes objects among a step's params: top-level values and arrays of them. */
function objectsIn(params: unknown): KubeObject[] {
  if (typeof params !== 'object' || params === null) return [];
  const found: KubeObject[] = [];
  for (const value of Object.values(params)) {
    for (const candidate of Array.isArray(value) ? value : [value]) if (isKubeObject(candidate)) found.push(candidate);
  }
  return found;
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind, metadata } = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  return typeof apiVersion === 'string' && typeof kind === 'string' && typeof metadata?.name === 'string';
}
