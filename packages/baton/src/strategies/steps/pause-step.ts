import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';

/** Params of a `pause` step: with `seconds`, a timed wait; without, a wait for a human. */
const pauseParams = z.object({ seconds: z.number().nonnegative().optional() }).strict();

/**
 * With seconds, waits that long (cancelled by abort). Without, the run pauses until a human
 * decides: `baton promote RUN` counts this step done and continues, `baton abort RUN` rolls back.
 * Nothing to undo.
 */
export const pauseStep = defineStepKind({
  kind: 'pause',
  params: pauseParams,
  async run(ctx, params, _deps, step) {
    if (params.seconds === undefined)
      return { kind: 'paused', reason: `${step.title}: waiting for \`baton promote ${ctx.runId}\` (or \`baton abort ${ctx.runId}\`)` };
    ctx.progress(`pausing ${params.seconds}s`);
    await ctx.delay(params.seconds * 1000);
    return { kind: 'done', summary: `paused ${params.seconds}s` };
  },
});

export function createPauseStep(): StepKind {
  return bindStepKind(pauseStep, undefined);
}
