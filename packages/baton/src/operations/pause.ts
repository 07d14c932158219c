import { assertPausable, requestPause } from '../engine/engine.js';
import { BatonError } from '../errors.js';
import type { OperationPorts } from './ports.js';
import { readRecordedRun } from './recorded-run.js';

/** How a pause request went. */
export type PauseResult =
  /** Written to the live run's journal: it pauses before its next step. */
  | { kind: 'requested'; runId: string; holder: string; inFlight: string | undefined }
  /** A pause was asked for already and the run has not reached its boundary yet. */
  | { kind: 'already-requested'; runId: string; holder: string; requestedBy: string | undefined }
  | { kind: 'already-paused'; runId: string; reason: string | undefined; next: string[] };

/**
 * `pause`: asks a run that is live in another process (it holds the app's lock) to pause at its
 * next step boundary, like a canary `pause` step: `promote` or `resume` continues it. The step in
 * flight is never cut short. A run that is not live (finished, halted, interrupted by a crash, or
 * rolling back) is refused with what to do instead; an already paused one is reported, not touched.
 */
export async function pause(
  request: { runId: string; reason: string },
  ports: Pick<OperationPorts, 'journal' | 'lock' | 'holder' | 'clock'>,
): Promise<PauseResult> {
  const { state } = await readRecordedRun(ports.journal, request.runId);
  const { runId } = state;
  if (state.status === 'paused')
    return { kind: 'already-paused', runId, reason: state.reason, next: [`baton promote ${runId}`, `baton abort ${runId}`] };
  assertPausable(state); // finished, halted or rolling back: refused with the verbs that apply
  const live = await ports.lock.inspect({ app: state.app, namespace: state.namespace });
  if (live?.alive !== true) {
    throw new BatonError(
      'NOT_RUNNING',
      `run ${runId} is not live: its journal says running, but ${live ? `the app's lock holder ${live.holder} is no longer alive` : "no process holds the app's lock"} (it was interrupted); there is nothing to pause`,
      {
        hint: `continue it with \`baton resume ${runId}\` or give it up with \`baton abort ${runId}\``,
      },
    );
  }
  if (state.pauseRequested) return { kind: 'already-requested', runId, holder: live.holder, requestedBy: state.pauseRequested.by };
  await requestPause({
    journal: ports.journal,
    runId,
    reason: request.reason,
    ...(ports.holder ? { by: ports.holder } : {}),
    ...(ports.clock ? { now: () => ports.clock?.now() ?? Date.now() } : {}),
  });
  return { kind: 'requested', runId, holder: live.holder, inFlight: state.inFlight };
}
