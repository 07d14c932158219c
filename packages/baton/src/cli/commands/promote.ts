import { promote } from '../../operations/resume.js';
import type { CliIO } from '../io.js';
import { commandContext, requireRecordedRun } from './context.js';
import { controlRelease, namedTarget, releaseTargetOf } from './release-target.js';
import { printRun } from './run-output.js';

/**
 * `baton promote RUN`: approves the paused step and runs the rest, probing traffic if a gate
 * follows. `baton promote release/NAME`: the same through the controller (status.control.promote),
 * followed until the Release rests unless --detach.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return controlRelease(namedTarget(target, 'promote'), 'promote', { promote: true }, options, io);
  await requireRecordedRun(options, io, String(args[0]), 'promote');
  const { ports } = commandContext(options, io);
  const result = await promote({ runId: String(args[0]) }, { ...ports, onNotice: (line) => io.stderr.write(`${line}\n`) });
  return printRun(io, result, { json: options.output === 'json', report: false });
}
