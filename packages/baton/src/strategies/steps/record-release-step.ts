import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { readHistory, releaseEntrySchema, writeHistory, type ReleaseEntry } from '../../kube/release-history.js';
import { forReapply } from '../workload.js';

/** Params of a `record-release` step: the entry (its run id and time are the run's) and, the first time, what ran before. */
const plannedEntry = releaseEntrySchema.partial({ runId: true, at: true });
const recordReleaseParams = z.object({ entry: plannedEntry, adopt: plannedEntry.optional() }).strict();
export type RecordReleaseParams = z.input<typeof recordReleaseParams>;

/** Appends the release to the app's history (idempotent by run id). Undo removes it again. */
export const recordReleaseStep = defineStepKind({
  kind: 'record-release',
  params: recordReleaseParams,
  async run(ctx, params, kube: KubeClient) {
    const at = new Date(ctx.now()).toISOString();
    const entry: ReleaseEntry = { ...params.entry, runId: ctx.runId, at };
    const live = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: entry.deployment, namespace: ctx.namespace });
    if (live) entry.template = { ...forReapply(live) };
    const history = (await readHistory(kube, ctx.namespace, ctx.app)).filter((e) => e.runId !== ctx.runId && e.runId !== `${ctx.runId}:adopted`);
    const adopted: ReleaseEntry[] = params.adopt && history.length === 0 ? [{ ...params.adopt, runId: `${ctx.runId}:adopted`, at }] : [];
    await writeHistory(kube, ctx.namespace, ctx.app, [...history, ...adopted, entry]);
    return { kind: 'done', summary: `release ${entry.version} recorded` };
  },
  async undo(ctx, _params, _checkpoint, kube) {
    const history = await readHistory(kube, ctx.namespace, ctx.app);
    const mine = (e: ReleaseEntry): boolean => e.runId === ctx.runId || e.runId === `${ctx.runId}:adopted`;
    if (history.some(mine)) await writeHistory(kube, ctx.namespace, ctx.app, history.filter((e) => !mine(e)));
  },
});

export function createRecordReleaseStep(kube: KubeClient): StepKind {
  return bindStepKind(recordReleaseStep, kube);
}
