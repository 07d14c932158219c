/**
 * Where a run stands. `running` until the engine writes `run-finished`.
 * - `succeeded`, `rolled-back`, `aborted`: final; resume returns them unchanged.
 * - `paused`: a step needs a human (`baton promote` continues, `baton abort` rolls back).
 * - `halted`: stopped with the exact state kept (failure after the point of no return, an undo
 *   that threw, an interruption after the point of no return); `baton resume` / `baton abort`.
 * - `failed`: reserved for a run the engine could neither finish nor roll back nor halt cleanly;
 *   the engine in this folder never writes it (it halts instead, which keeps resume possible).
 */
export type RunStatus = 'running' | 'succeeded' | 'rolled-back' | 'halted' | 'paused' | 'aborted' | 'failed';

/** Statuses after which nothing more happens to a run. */
export const finalStatuses: readonly RunStatus[] = ['succeeded', 'rolled-back', 'aborted', 'failed'];

export function isFinalStatus(status: RunStatus): boolean {
  return finalStatuses.includes(status);
}
