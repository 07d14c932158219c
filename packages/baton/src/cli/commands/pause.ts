import { requestControl } from '../../controller/release-client.js';
import { pause } from '../../operations/pause.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { commandContext } from './context.js';
import { namedTarget, printRelease, releaseTargetOf } from './release-target.js';

/**
 * `baton pause RUN`: asks a run live in another process (holding the app's lock) to stop before
 * its next step; `baton promote RUN` or `baton resume RUN` continues it. Returns once the request
 * is journaled: the step in flight finishes first. `baton pause release/NAME`: status.control.pause.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const target = releaseTargetOf(options, args[0], io);
  if (target) {
    const named = namedTarget(target, 'pause');
    const patched = await requestControl(named.kube, named.namespace, named.name, { pause: true }, { verb: 'pause' });
    if (!json)
      io.stderr.write(
        `asked the controller to pause Release ${named.namespace}/${named.name} before its next step (status.control.pause); continue it with: baton release resume ${named.name} -n ${named.namespace}\n`,
      );
    printRelease(io, patched, { json });
    return exitCodes.ok;
  }
  const result = await pause({ runId: String(args[0]), reason: String(options.reason) }, commandContext(options, io).ports);
  if (json) {
    const { kind: state, ...rest } = result;
    printJson(io, 'PauseRequest', { ...rest, state });
    return exitCodes.ok;
  }
  const { runId } = result;
  switch (result.kind) {
    case 'requested':
      io.stdout.write(
        `run ${runId} is live (${result.holder}); pause requested — it stops before its next step${result.inFlight ? `, once step ${result.inFlight} finishes` : ''}.\n`,
      );
      break;
    case 'already-requested':
      io.stdout.write(
        `run ${runId} was already asked to pause${result.requestedBy ? ` (by ${result.requestedBy})` : ''}; it stops before its next step.\n`,
      );
      break;
    case 'already-paused':
      io.stdout.write(`run ${runId} is already paused${result.reason ? ` — ${result.reason}` : ''}\n`);
      break;
  }
  io.stdout.write(
    `  follow it: baton status ${runId} --watch\n  continue it: baton promote ${runId}  (or give it up: baton abort ${runId})\n`,
  );
  return exitCodes.ok;
}
