import { abortRun, promoteRun, requestAbort, resumeRun } from '../engine/engine.js';
import { RunLockedError } from '../engine/run-lock.js';
import { continueUnderProbe, finishContinued, firstPendingStep, probeForGatesFrom, probeForRun } from './continued-run.js';
import { engineOptions } from './engine-options.js';
import type { OperationPorts } from './ports.js';
import { readRecordedRun } from './recorded-run.js';
import type { RunResult } from './run-result.js';

/**
 * `resume`: continues a run that stopped (crash, halt, pause) from its journal alone: it reaches
 * the same end state as an uninterrupted run, its probe restarted as a new segment.
 */
export async function resume(request: { runId: string }, ports: OperationPorts): Promise<RunResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  // The probe restarts whenever the spec probes: gates ahead judge fresh traffic, and the report
  // shows the whole run (the time no baton ran marked as not measured).
  const probe = await probeForRun(run, ports, 'the steps resumed are not measured');
  return continueUnderProbe(run, probe, ports, (options) => resumeRun({ ...options, runId: request.runId }));
}

/**
 * `promote`: approves the paused step and runs the rest. When a gate follows the pause (a canary's
 * analysis) it probes live traffic, set up from the spec the run recorded, as the upgrade did.
 */
export async function promote(request: { runId: string }, ports: OperationPorts): Promise<RunResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  // A paused step counts as done: only the gates after it need traffic. A pause a human asked
  // for has no step waiting: the gates from the next step on do.
  const { paused, pauseRequested } = run.state;
  const from = firstPendingStep(run.state) + (paused ? 1 : 0);
  const probe =
    paused || pauseRequested ? await probeForGatesFrom(run, from, ports, 'the analyses after the pause see no traffic') : undefined;
  return continueUnderProbe(run, probe, ports, (options) => promoteRun({ ...options, runId: request.runId }));
}

/** How an abort went: acted on a stopped run, or asked a live one (in another process) to stop. */
export type AbortResult =
  | ({ kind: 'aborted' } & RunResult)
  /** The run is live elsewhere: abort was requested; it rolls back at its next check. */
  | { kind: 'requested'; runId: string; holder: string };

/**
 * `abort`: gives up a run. A stopped run rolls back here (before the point of no return; after it,
 * it ends aborted with nothing undone). A run live in another process sharing the journal is asked
 * to stop instead.
 */
export async function abort(request: { runId: string; reason: string }, ports: OperationPorts): Promise<AbortResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  try {
    const outcome = await abortRun({ ...engineOptions(ports), runId: request.runId, reason: request.reason });
    return { kind: 'aborted', ...(await finishContinued(run, outcome, ports)) };
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    await requestAbort({
      journal: ports.journal,
      runId: request.runId,
      reason: request.reason,
      ...(ports.holder ? { by: ports.holder } : {}),
      ...(ports.clock ? { now: () => ports.clock?.now() ?? Date.now() } : {}),
    });
    return { kind: 'requested', runId: request.runId, holder: error.holder };
  }
}
