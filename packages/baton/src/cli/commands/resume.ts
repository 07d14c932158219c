import { resume } from '../../operations/resume.js';
import type { CliIO } from '../io.js';
import { commandContext, requireRecordedRun } from './context.js';
import { controlRelease, namedTarget, releaseTargetOf } from './release-target.js';
import { printRun } from './run-output.js';

/**
 * `baton resume RUN`: continues a stopped run. `baton resume release/NAME`: a Halted Release's
 * retry through the controller (status.control.retry): the failed step runs again.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return controlRelease(namedTarget(target, 'resume'), 'retry', { retry: true }, options, io);
  await requireRecordedRun(options, io, String(args[0]), 'resume');
  const result = await resume({ runId: String(args[0]) }, commandContext(options, io).ports);
  return printRun(io, result, { json: options.output === 'json', report: false });
}
