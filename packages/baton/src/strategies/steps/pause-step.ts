import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';

/**
 * Params: `seconds` (optional). With seconds, waits that long (cancelled by abort). Without, the
 * run pauses until a human decides: `baton promote RUN` counts this step done and continues,
 * `baton abort RUN` rolls back. Nothing to undo.
 */
export function createPauseStep(): StepKind {
  return {
    kind: 'pause',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const seconds = step.params.seconds as number | undefined;
      if (seconds === undefined) return { kind: 'paused', reason: `${step.title}: waiting for \`baton promote ${ctx.runId}\` (or \`baton abort ${ctx.runId}\`)` };
      ctx.progress(`pausing ${seconds}s`);
      await ctx.delay(seconds * 1000);
      return { kind: 'done', summary: `paused ${seconds}s` };
    },
  };
}
