import type { RunStatus } from '../engine/run-status.js';

/**
 * baton's exit codes, stable for scripts and CI. Documented in the README and `baton --help`.
 */
export const exitCodes = {
  ok: 0,
  /** The upgrade failed and was rolled back (or a check found errors). */
  failed: 1,
  /** Bad input: spec, manifests, flags. Nothing was changed. */
  invalidInput: 2,
  /** Halted after the point of no return: a human runs `baton resume` or `baton abort`. */
  halted: 3,
  /** Paused, waiting for `baton promote` (or `baton abort`). */
  paused: 4,
  /** The cluster, the database or the probe's target could not be reached. Nothing was changed. */
  unreachable: 5,
  /** Another run of this app holds the lock. */
  locked: 6,
} as const;

/**
 * How a run stands, as an exit code: what every verb that ran or continued a run returns, and what
 * `baton status RUN` returns for it (0 succeeded or still running, 3 halted, 4 paused, 1 otherwise).
 */
export function runStatusExitCode(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
    case 'running':
      return exitCodes.ok;
    case 'halted':
      return exitCodes.halted;
    case 'paused':
      return exitCodes.paused;
    default:
      return exitCodes.failed;
  }
}

export const exitCodeHelp = `Exit codes:
  0  success
  1  the upgrade failed and was rolled back, or a check found errors
  2  invalid input (spec, manifests, flags); nothing was changed
  3  halted after the point of no return, or interrupted (the cluster or database stopped
     answering mid-run): run \`baton resume RUN\` or \`baton abort RUN\`
  4  paused: run \`baton promote RUN\` or \`baton abort RUN\`
  5  the cluster, the database or the probe's target could not be reached; nothing was changed
  6  another run of this app holds the lock
\`baton status RUN\` exits by how the run stands (0 succeeded or running, 1 rolled back or failed,
3 halted or interrupted, 4 paused); \`baton abort RUN\` exits 0 once the run is given up.`;
