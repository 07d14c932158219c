import { z } from 'zod';
import { toJsonObject } from '../../json.js';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { queryPrometheus } from '../../gates/prometheus-query.js';
import { forReapply } from '../workload.js';
import { connectionMetricSchema } from '../../spec/connection-metric.js';
import { readReleaseConnections } from '../drain-release-connections.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';

/** Params of a `delete-release` step (planned by `baton gc`). */
const deleteReleaseParams = z
  .object({
    deployment: z.string().min(1),
    /** The release's own Services (`<service>-<release>`), deleted with it. */
    services: z.array(z.string().min(1)),
    /** The app Service: a release it selects is never deleted. */
    appService: z.string().min(1).optional(),
    /** Checked again right before deleting: the release must still read exactly 0 (no data keeps it). */
    prometheusUrl: z.string().min(1).optional(),
    activeTasksQuery: z.string().min(1).optional(),
    /** Checked again right before deleting: every pod of the release must answer and read 0. */
    connections: connectionMetricSchema.optional(),
  })
  .strict();

export type DeleteReleaseParams = z.input<typeof deleteReleaseParams>;

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/**
 * Deletes an old release (its Deployment, hence its pods, and its own Services). `baton gc`
 * decided from a snapshot; this step checks again right before acting, because a release can
 * become active again (a rollback) or take a task in between: then it keeps the release and
 * says why. Idempotent: a release already gone is done. Irreversible (running pods end), so the
 * Deployment as it was is checkpointed: a rollback can redeploy it from the history.
 */
export const deleteReleaseStep = defineStepKind({
  kind: 'delete-release',
  params: deleteReleaseParams,
  async run(ctx, p, kube: KubeClient) {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: p.deployment, namespace: ctx.namespace };
    const live = await kube.get<DeploymentLike>(ref);
    if (!live) {
      for (const name of p.services) await kube.delete({ apiVersion: 'v1', kind: 'Service', name, namespace: ctx.namespace });
      return { kind: 'done', summary: `Deployment ${p.deployment} is already gone`, data: { deleted: true } };
    }
    if (p.appService) {
      const svc = await kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: p.appService, namespace: ctx.namespace });
      const selector = svc?.spec?.selector ?? {};
      const labels = live.spec.template.metadata?.labels ?? {};
      if (Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)) {
        return { kind: 'done', summary: `kept ${p.deployment}: Service ${p.appService} selects it now`, data: { deleted: false } };
      }
    }
    if (p.prometheusUrl && p.activeTasksQuery) {
      const r = await queryPrometheus({ url: p.prometheusUrl, query: p.activeTasksQuery, signal: ctx.signal });
      const total = r.kind === 'ok' && r.samples.length > 0 ? r.samples.reduce((sum, s) => sum + s.value, 0) : NaN;
      if (total !== 0) {
        const why = r.kind !== 'ok' ? r.reason : Number.isNaN(total) ? 'no data' : `${total} active task(s)`;
        return { kind: 'done', summary: `kept ${p.deployment}: ${why}`, data: { deleted: false } };
      }
    }
    if (p.connections) {
      const open = await readReleaseConnections({ kube, namespace: ctx.namespace, deployment: live, metric: p.connections });
      if (open.kind !== 'value' || open.value !== 0) {
        const why =
          open.kind === 'unknown' ? `connections unknown: ${open.reason}` : `${open.value} open connection(s) on ${open.pods} pod(s)`;
        return { kind: 'done', summary: `kept ${p.deployment}: ${why}`, data: { deleted: false } };
      }
    }
    if (!('template' in ctx.checkpoints)) await ctx.checkpoint({ template: toJsonObject(forReapply(live)) });
    ctx.progress(`deleting Deployment ${p.deployment} and its Service(s) ${p.services.join(', ') || '(none)'}`);
    await kube.delete(ref, { propagationPolicy: 'Background' });
    for (const name of p.services) await kube.delete({ apiVersion: 'v1', kind: 'Service', name, namespace: ctx.namespace });
    return { kind: 'done', summary: `deleted release Deployment ${p.deployment}`, data: { deleted: true } };
  },
});

export function createDeleteReleaseStep(kube: KubeClient): StepKind {
  return bindStepKind(deleteReleaseStep, kube);
}
