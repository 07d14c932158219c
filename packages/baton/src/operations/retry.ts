import { resumeRun } from '../engine/engine.js';
import type { RunState } from '../engine/run-state.js';
import type { LockHolder } from '../engine/run-lock.js';
import { BatonError } from '../errors.js';
import { continueUnderProbe, firstPendingStep, probeForRun } from './continued-run.js';
import type { OperationPorts } from './ports.js';
import { readRecordedRun } from './recorded-run.js';
import type { RunResult } from './run-result.js';

/** What a retry runs again. */
export interface RetriedStep {
  /** `step`: a step that failed after the point of no return (and the rest after it); `undo`: an undo that threw (and the rest of the rollback); `gate`: a gate that paused undecided. */
  kind: 'step' | 'undo' | 'gate';
  stepId: string;
  title: string;
  /** Why it stopped the first time. */
  reason: string | undefined;
}

export type RetryResult = RunResult & { retried: RetriedStep };

/**
 * `retry` (as `kubectl argo rollouts retry`): runs the step that stopped a run again, then the
 * rest. For a run halted after the point of no return, the failed step; for a rollback halted by an
 * undo that threw, that undo and the rest of the rollback; for a run paused by a gate that could not
 * decide, the gate (with probe traffic). Everything else is refused with the verb that fits: a
 * paused step is promoted, an interrupted run resumed, a finished run left alone.
 */
export async function retry(request: { runId: string }, ports: OperationPorts): Promise<RetryResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  const live =
    run.state.status === 'running' ? await ports.lock.inspect({ app: run.state.app, namespace: run.state.namespace }) : undefined;
  const retried = retriedStep(run.state, live);
  ports.onNotice?.(describeRetried(retried));
  // Probed as resume is (the report covers the whole run); an undo too: a rollback's traffic is measured.
  const probe = await probeForRun(run, ports, 'the steps retried are not measured');
  const result = await continueUnderProbe(run, probe, ports, (options) => resumeRun({ ...options, runId: request.runId }));
  return { ...result, retried };
}

/** "retrying step X (title), then the rest", for the person who asked. */
export function describeRetried(retried: RetriedStep): string {
  const what =
    retried.kind === 'undo'
      ? `the undo of step ${retried.stepId} (${retried.title}), then the rest of the rollback`
      : `${retried.kind} ${retried.stepId} (${retried.title}), then the steps after it`;
  return `retrying ${what}${retried.reason ? `; it stopped with: ${retried.reason}` : ''}`;
}

/** The step a retry runs again, or the error that says what to do instead (exit 2). Pure. */
export function retriedStep(state: RunState, live: LockHolder | undefined): RetriedStep {
  const { runId } = state;
  const titled = (kind: RetriedStep['kind'], stepId: string, reason: string | undefined): RetriedStep => ({
    kind,
    stepId,
    title: state.steps.find((s) => s.id === stepId)?.title ?? stepId,
    reason,
  });
  switch (state.status) {
    case 'halted': {
      if (state.undoFailure) return titled('undo', state.undoFailure.stepId, state.undoFailure.error);
      const pending = state.failure?.stepId ?? state.steps[firstPendingStep(state)]?.id;
      if (pending !== undefined) return titled('step', pending, state.failure?.reason ?? state.reason);
      break;
    }
    case 'paused': {
      const step = state.steps.find((s) => s.id === state.paused?.stepId);
      if (step?.kind === 'gate') return titled('gate', step.id, state.paused?.reason);
      throw new BatonError(
        'NOT_HALTED',
        `run ${runId} is paused${step ? ` at step ${step.id}` : ''} waiting for a human, and nothing failed: there is nothing to retry`,
        {
          hint: `continue it with \`baton promote ${runId}\`, or give it up with \`baton abort ${runId}\``,
        },
      );
    }
    case 'running':
      throw live?.alive === true
        ? new BatonError('NOT_HALTED', `run ${runId} is running (${live.holder}): nothing failed to retry`, {
            hint: `follow it with \`baton status ${runId} --watch\`; stop it before its next step with \`baton pause ${runId}\``,
          })
        : new BatonError('NOT_HALTED', `run ${runId} was interrupted (no live process holds the app's lock), not halted by a failure`, {
            hint: `continue it with \`baton resume ${runId}\``,
          });
    case 'succeeded':
      throw new BatonError('RUN_FINISHED', `run ${runId} succeeded: there is nothing to retry`, {
        hint: 'go back with `baton rollback` (see `baton history`), or deploy again with `baton upgrade`',
      });
    case 'rolled-back':
    case 'aborted':
    case 'failed':
      throw new BatonError(
        'RUN_FINISHED',
        `run ${runId} ended ${state.status}${state.reason ? ` (${state.reason})` : ''}: it is over and cannot be retried`,
        { hint: 'fix the cause, then start a new run with `baton upgrade`' },
      );
  }
  throw new BatonError('NOT_HALTED', `run ${runId} is ${state.status} with no failed step to retry`, {
    hint: `continue it with \`baton resume ${runId}\``,
  });
}
