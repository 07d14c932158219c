import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { readHistory, writeHistory, type ReleaseEntry } from './release-history.js';
import { forReapply } from '../workload.js';

/** Appends the release to the app's history (idempotent by run id). Undo removes it again. */
export function createRecordReleaseStep(kube: KubeClient): StepKind {
  return {
    kind: 'record-release',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const entry: ReleaseEntry = { ...(step.params.entry as unknown as ReleaseEntry), runId: ctx.runId, at: new Date(ctx.now()).toISOString() };
      const live = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: entry.deployment, namespace: ctx.namespace });
      if (live) entry.template = forReapply(live) as unknown as Record<string, unknown>;
      const history = (await readHistory(kube, ctx.namespace, ctx.app)).filter((e) => e.runId !== ctx.runId && e.runId !== `${ctx.runId}:adopted`);
      const adopt = step.params.adopt as unknown as ReleaseEntry | undefined;
      const adopted = adopt && history.length === 0 ? [{ ...adopt, runId: `${ctx.runId}:adopted`, at: entry.at }] : [];
      await writeHistory(kube, ctx.namespace, ctx.app, [...history, ...adopted, entry]);
      return { kind: 'done', summary: `release ${entry.version} recorded` };
    },
    async undo(ctx: RunContext): Promise<void> {
      const history = await readHistory(kube, ctx.namespace, ctx.app);
      const mine = (e: ReleaseEntry): boolean => e.runId === ctx.runId || e.runId === `${ctx.runId}:adopted`;
      if (history.some(mine)) await writeHistory(kube, ctx.namespace, ctx.app, history.filter((e) => !mine(e)));
    },
  };
}
