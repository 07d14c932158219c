import type { RunOutcome } from '../../engine/engine.js';
import { runStatusExitCode } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';

/** Prints how a run ended and maps it to the documented exit code. */
export function finishWith(io: CliIO, outcome: RunOutcome, json: boolean, extra: Record<string, unknown> = {}): number {
  if (json) printJson(io, 'RunOutcome', { ...outcome, ...extra });
  else {
    io.stdout.write(`run ${outcome.runId}: ${outcome.status}${outcome.reason ? ` — ${outcome.reason}` : ''}\n`);
    for (const next of outcome.next ?? []) io.stdout.write(`  next: ${next}\n`);
  }
  return runStatusExitCode(outcome.status);
}
