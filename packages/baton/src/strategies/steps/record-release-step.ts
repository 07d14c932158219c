import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { readHistory, writeHistory, type ReleaseEntry } from './release-history.js';

/** Appends the release to the app's history (idempotent by run id). Undo removes it again. */
export function createRecordReleaseStep(kube: KubeClient): StepKind {
  return {
    kind: 'record-release',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const entry = { ...(step.params.entry as unknown as ReleaseEntry), runId: ctx.runId, at: new Date(ctx.now()).toISOString() };
      const history = (await readHistory(kube, ctx.namespace, ctx.app)).filter((e) => e.runId !== ctx.runId);
      await writeHistory(kube, ctx.namespace, ctx.app, [...history, entry]);
      return { kind: 'done', summary: `release ${entry.version} recorded` };
    },
    async undo(ctx: RunContext): Promise<void> {
      const history = await readHistory(kube, ctx.namespace, ctx.app);
      if (history.some((e) => e.runId === ctx.runId)) await writeHistory(kube, ctx.namespace, ctx.app, history.filter((e) => e.runId !== ctx.runId));
    },
  };
}
