import { retry } from '../../operations/retry.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { controlRelease, namedTarget, releaseTargetOf } from './release-target.js';
import { printRun } from './run-output.js';

/**
 * `baton retry RUN`: runs the step that halted the run (or the undo that stopped its rollback, or
 * a gate that paused undecided) again, then the rest. `baton retry release/NAME`: a Halted
 * Release's retry through the controller (status.control.retry), followed until it rests.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return controlRelease(namedTarget(target, 'retry'), 'retry', { retry: true }, options, io);
  const json = options.output === 'json';
  const result = await retry({ runId: String(args[0]) }, commandContext(options, io).ports);
  return printRun(io, result, { json, report: false, extra: { retried: result.retried } });
}
