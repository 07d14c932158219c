import { abortRun } from '../../engine/engine.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { finishWith } from './outcome.js';

export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const ctx = commandContext(options, io);
  const outcome = await abortRun({ ...ctx.engine, runId: args[0]!, reason: options.reason as string });
  return finishWith(io, outcome, options.output === 'json');
}
