import { abortRun, requestAbort } from '../../engine/engine.js';
import { RunLockedError } from '../../engine/run-lock.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { finishWith } from './outcome.js';

export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const ctx = commandContext(options, io);
  try {
    const outcome = await abortRun({ ...ctx.engine, runId: args[0]!, reason: options.reason as string });
    return finishWith(io, outcome, options.output === 'json');
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    // The run is live in another process that shares this journal: ask it to stop; it rolls
    // back (or, past the point of no return, ends aborted) at its next step boundary.
    await requestAbort({ journal: ctx.journal, runId: args[0]!, reason: options.reason as string });
    io.stdout.write(`run ${args[0]!} is live (${error.holder}); abort requested — it rolls back at its next check. Follow it with \`baton status ${args[0]!}\`\n`);
    return 0;
  }
}
