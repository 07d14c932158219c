import { abort } from '../../operations/resume.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { commandContext, requireRecordedRun } from './context.js';
import { controlRelease, namedTarget, releaseTargetOf } from './release-target.js';
import { printRun } from './run-output.js';

/**
 * `baton abort RUN`: gives a stopped run up. `baton abort release/NAME`: the same through the
 * controller (status.control.abort with --reason): it rolls back before the point of no return.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return controlRelease(namedTarget(target, 'abort'), 'abort', { abort: true, reason: String(options.reason) }, options, io);
  const runId = String(args[0]);
  await requireRecordedRun(options, io, runId, 'abort');
  const result = await abort({ runId, reason: String(options.reason) }, commandContext(options, io).ports);
  if (result.kind === 'aborted') {
    const code = printRun(io, result, { json: options.output === 'json', report: false });
    // The abort asked for is what happened (rolled back before the point of no return, ended
    // aborted after it): exit 0, as for a live run asked to stop below. An undo that threw ends
    // halted (3) and says what is left.
    const status = result.outcome.status;
    return status === 'rolled-back' || status === 'aborted' ? exitCodes.ok : code;
  }
  // The run is live in another process that shares this journal: it was asked to stop; it rolls
  // back (or, past the point of no return, ends aborted) at its next step boundary.
  io.stdout.write(
    `run ${runId} is live (${result.holder}); abort requested — it rolls back at its next check. Follow it with \`baton status ${runId}\`\n`,
  );
  return exitCodes.ok;
}
