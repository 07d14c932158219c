import { promoteRun } from '../../engine/engine.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { finishWith } from './outcome.js';
import { probeForPromotion } from './promote-probe.js';

/** `baton promote RUN`: approves the paused step and runs the rest, probing traffic if a gate follows. */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const ctx = commandContext(options, io);
  const runId = args[0]!;
  const probe = await probeForPromotion({ journal: ctx.journal, kube: ctx.kube, runId, notice: (line) => io.stderr.write(`${line}\n`) });
  try {
    const outcome = await promoteRun({ ...ctx.engine, runId, ...(probe ? { probe } : {}) });
    return finishWith(io, outcome, options.output === 'json');
  } finally {
    await probe?.stop();
  }
}
