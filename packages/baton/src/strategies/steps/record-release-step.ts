import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { nextRevision, readHistory, releaseEntrySchema, writeHistory, type ReleaseEntry } from '../../kube/release-history.js';
import { forReapply } from '../workload.js';

/** Params of a `record-release` step: the entry (its run id and time are the run's) and, the first time, what ran before. */
const plannedEntry = releaseEntrySchema.partial({ runId: true, at: true });
const recordReleaseParams = z.object({ entry: plannedEntry, adopt: plannedEntry.optional() }).strict();
export type RecordReleaseParams = z.input<typeof recordReleaseParams>;

/**
 * Appends the release to the app's history with the next revision (idempotent by run id: a step
 * run again keeps its revision). Undo removes it again.
 */
export const recordReleaseStep = defineStepKind({
  kind: 'record-release',
  params: recordReleaseParams,
  async run(ctx, params, kube: KubeClient) {
    const at = new Date(ctx.now()).toISOString();
    const entry: ReleaseEntry = { ...params.entry, runId: ctx.runId, at };
    const live = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: entry.deployment, namespace: ctx.namespace });
    if (live) entry.template = { ...forReapply(live) };
    const recorded = await readHistory(kube, ctx.namespace, ctx.app);
    const mine = recordedBy(ctx.runId);
    const history = recorded.filter((e) => !mine(e));
    // A rollback's planned entry is a copy of the older one it returns to: never its revision.
    let revision = recorded.find(mine)?.revision ?? nextRevision(history);
    const adopted: ReleaseEntry[] =
      params.adopt && history.length === 0 ? [{ ...params.adopt, runId: `${ctx.runId}:adopted`, at, revision: revision++ }] : [];
    entry.revision = revision;
    await writeHistory(kube, ctx.namespace, ctx.app, [...history, ...adopted, entry]);
    return { kind: 'done', summary: `release ${entry.version} recorded` };
  },
  async undo(ctx, _params, _checkpoint, kube) {
    const history = await readHistory(kube, ctx.namespace, ctx.app);
    const mine = recordedBy(ctx.runId);
    if (history.some(mine))
      await writeHistory(
        kube,
        ctx.namespace,
        ctx.app,
        history.filter((e) => !mine(e)),
      );
  },
});

/** The entries a run wrote: its release, and what it found running before (`:adopted`). */
function recordedBy(runId: string): (entry: ReleaseEntry) => boolean {
  return (entry) => entry.runId === runId || entry.runId === `${runId}:adopted`;
}

export function createRecordReleaseStep(kube: KubeClient): StepKind {
  return bindStepKind(recordReleaseStep, kube);
}
