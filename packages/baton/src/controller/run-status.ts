import type { JournalEntry } from '../engine/journal.js';
import { deriveRunState, isRollingBack, type RunState } from '../engine/run-state.js';
import type { GateVerdictStatus, ReleasePhase, ReleaseStatus, ReleaseStepStatus } from './release.js';

/** At most this many steps are kept in status; the full journal is in the ConfigMap it names. */
export const maxStatusSteps = 64;

/** The phase a run's state stands for. */
export function phaseOf(state: RunState): ReleasePhase {
  switch (state.status) {
    case 'running':
      return isRollingBack(state) ? 'RollingBack' : 'Running';
    case 'paused':
      return 'Paused';
    case 'halted':
      return 'Halted';
    case 'succeeded':
      return 'Succeeded';
    case 'rolled-back':
      return 'RolledBack';
    case 'aborted':
      return 'Aborted';
    case 'failed':
      return 'Failed';
  }
}

/**
 * The part of a Release's status that the run's journal decides: phase, steps, current step,
 * point of no return, gate verdicts, versions. Pure: the same journal gives the same status, so a
 * new leader writes what the old one would have.
 */
export function statusFromJournal(
  entries: readonly JournalEntry[],
): Pick<
  ReleaseStatus,
  | 'runId'
  | 'phase'
  | 'message'
  | 'steps'
  | 'stepsOmitted'
  | 'currentStep'
  | 'pointOfNoReturn'
  | 'gates'
  | 'fromVersion'
  | 'toVersion'
  | 'strategy'
  | 'startedAt'
  | 'finishedAt'
> {
  const state = deriveRunState(entries);
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const startedAt = new Map<string, number>();
  const finishedAt = new Map<string, number>();
  const messages = new Map<string, string>();
  const gates: GateVerdictStatus[] = [];
  for (const entry of entries) {
    if (entry.type === 'step-started') startedAt.set(entry.stepId, startedAt.get(entry.stepId) ?? entry.at);
    if (entry.type === 'step-finished' || entry.type === 'step-error') finishedAt.set(entry.stepId, entry.at);
    if (entry.type === 'step-error') messages.set(entry.stepId, entry.error);
    if (entry.type === 'step-finished') {
      const r = entry.result;
      const message = r.kind === 'done' ? r.summary : r.reason;
      if (message !== undefined) messages.set(entry.stepId, message);
      const step = state.steps.find((s) => s.id === entry.stepId);
      if (step?.kind === 'gate') {
        const verdict: GateVerdictStatus = {
          step: entry.stepId,
          verdict: r.kind === 'done' ? 'pass' : r.kind === 'failed' ? 'fail' : 'wait',
          at: new Date(entry.at).toISOString(),
        };
        if (message !== undefined) verdict.reason = message;
        gates.push(verdict);
      }
    }
  }
  const steps: ReleaseStepStatus[] = state.steps.map((s) => {
    const step: ReleaseStepStatus = { id: s.id, kind: s.kind, title: s.title, reversible: s.reversible, state: 'pending' };
    if (state.undone.includes(s.id)) step.state = 'undone';
    else if (s.id in state.completed) step.state = 'done';
    else if (state.paused?.stepId === s.id) step.state = 'paused';
    else if (state.failure?.stepId === s.id || state.undoFailure?.stepId === s.id) step.state = 'failed';
    else if (state.inFlight === s.id) step.state = 'running';
    const started = iso(startedAt.get(s.id));
    const finished = iso(finishedAt.get(s.id));
    if (started !== undefined) step.startedAt = started;
    if (finished !== undefined) step.finishedAt = finished;
    const message = messages.get(s.id);
    if (message !== undefined) step.message = message.slice(0, 1024);
    return step;
  });
  const plan = state.meta.plan as { from?: { version?: string } | null; to?: { version?: string }; strategy?: string } | undefined;
  const out: ReturnType<typeof statusFromJournal> = {
    runId: state.runId,
    phase: phaseOf(state),
    steps: steps.slice(0, maxStatusSteps),
    pointOfNoReturn: state.pointOfNoReturn === undefined ? { reached: false } : { reached: true, step: state.pointOfNoReturn },
    gates: gates.slice(-32),
    startedAt: new Date(state.startedAt).toISOString(),
  };
  if (steps.length > maxStatusSteps) out.stepsOmitted = steps.length - maxStatusSteps;
  if (state.reason !== undefined) out.message = state.reason;
  const currentId = state.inFlight ?? state.undoInFlight ?? state.paused?.stepId ?? state.steps.find((s) => !(s.id in state.completed))?.id;
  const current = state.steps.find((s) => s.id === currentId);
  if (current !== undefined && state.status !== 'succeeded') {
    out.currentStep = { id: current.id, title: current.title, kind: current.kind };
    const started = iso(startedAt.get(current.id));
    if (started !== undefined) out.currentStep.startedAt = started;
  }
  if (plan?.from?.version !== undefined) out.fromVersion = plan.from.version;
  if (plan?.to?.version !== undefined) out.toVersion = plan.to.version;
  if (plan?.strategy !== undefined) out.strategy = plan.strategy;
  if (['Succeeded', 'RolledBack', 'Aborted', 'Failed'].includes(out.phase ?? '')) out.finishedAt = new Date(state.updatedAt).toISOString();
  return out;
}
