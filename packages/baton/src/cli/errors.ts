import { isBatonError } from '../errors.js';
import { exitCodes } from './exit-codes.js';
import { printJson, type CliIO } from './io.js';

const inputCodes =
  /^(SPEC_|MANIFEST_|PLAN_|SQL_|MIGRATION|CHECK_|USAGE|RUN_NOT_FOUND|RUN_FINISHED|RUN_EXISTS|NOT_PAUSED|NOT_HALTED|NOT_RUNNING|REVISION_|JOURNAL_BAD_RUN_ID|PROBE_URL_|PROBE_OPTIONS_|DB_URL_|STEP_PARAMS_|GATE_INVALID|TRAFFIC_CONFIG|ROLLBACK_NO_(TARGET|HISTORY))/;
const unreachableCodes =
  /^(KUBE_UNREACHABLE|CONTROLLER_NOT_RUNNING|KUBECONFIG_|DB_UNREACHABLE|DB_AUTH|DB_CONNECT|DB_NOT_FOUND|PROBE_UNREACHABLE)/;

/** Prints an error as what / how to fix, and picks the exit code. Stack traces only for bugs. */
export function reportError(io: CliIO, error: unknown, output: 'text' | 'json'): number {
  const code = isBatonError(error) ? error.code : 'INTERNAL';
  const exit = !isBatonError(error)
    ? exitCodes.failed
    : error.code === 'LOCKED'
      ? exitCodes.locked
      : error.code === 'RUN_INTERRUPTED'
        ? exitCodes.halted
        : unreachableCodes.test(error.code)
          ? exitCodes.unreachable
          : inputCodes.test(error.code)
            ? exitCodes.invalidInput
            : exitCodes.failed;
  const message = error instanceof Error ? error.message : String(error);
  const hint = isBatonError(error) ? error.hint : undefined;
  if (output === 'json') {
    printJson(io, 'Error', { error: { code, message, ...(hint ? { hint } : {}) } });
  } else {
    io.stderr.write(`error: ${message}\n`);
    if (hint) io.stderr.write(`  hint: ${hint}\n`);
    if (!isBatonError(error) && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  }
  return exit;
}
