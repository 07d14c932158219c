import type { RunState } from '../../engine/run-state.js';
import type { TrafficSplit } from '../../traffic/traffic-router.js';
import { stepTrafficOf } from '../../report/step-traffic.js';
import { describeStepTraffic } from '../../report/traffic-rows.js';

/** The split as the router read it back, or why it could not be read. */
export type ShownSplit = TrafficSplit | { error: string };

export function describeSplit(split: ShownSplit): string {
  if ('error' in split) return `traffic: unavailable (${split.error})`;
  const route =
    split.route === null
      ? ''
      : split.route.kind === 'header'
        ? `; requests with ${split.route.name}: ${split.route.value} -> new`
        : `; requests with cookie ${split.route.name}=always -> new`;
  return `traffic: new ${split.weight}% / stable ${100 - split.weight}%${split.precision === 'approximate' ? ' (approximate: replica counts)' : ''}${route}`;
}

/** The text of `baton status`: one line per step with its mark, gate verdicts and the split. */
export function describeRun(state: RunState, split: ShownSplit | undefined, now: number): string {
  const lines = [`run ${state.runId} (${state.namespace}/${state.app}): ${state.status}${state.reason ? ` — ${state.reason}` : ''}`];
  const current = state.inFlight ?? state.undoInFlight ?? state.paused?.stepId;
  if (current) {
    const step = state.steps.find((s) => s.id === current);
    lines.push(
      `now: ${state.undoInFlight ? 'undoing ' : ''}${step?.title ?? current}${state.paused ? ` (paused: baton promote ${state.runId} / baton abort ${state.runId})` : ''}`,
    );
  }
  if (state.pauseRequested && state.status === 'running')
    lines.push(
      `pause requested${state.pauseRequested.by ? ` by ${state.pauseRequested.by}` : ''}: it stops before its next step (${state.pauseRequested.reason})`,
    );
  if (split) lines.push(describeSplit(split));
  for (const step of state.steps) {
    const mark = state.undone.includes(step.id)
      ? '↶'
      : step.id in state.completed
        ? '✓'
        : state.failure?.stepId === step.id
          ? '✗'
          : state.inFlight === step.id
            ? '…'
            : state.paused?.stepId === step.id
              ? '⏸'
              : ' ';
    let verdict = '';
    if (step.kind === 'gate') {
      const done = state.completed[step.id] as { passes?: number; evaluations?: number } | undefined;
      if (done) verdict = `  [pass: ${done.passes ?? '?'} of ${done.evaluations ?? '?'} evaluations]`;
      else if (state.failure?.stepId === step.id) verdict = `  [fail: ${state.failure.reason}]`;
      else if (state.inFlight === step.id) verdict = '  [evaluating]';
    }
    lines.push(`  ${mark} ${step.title}${step.reversible ? '' : '  [point of no return]'}${verdict}`);
    const traffic = stepTrafficOf(state.completed[step.id]) ?? stepTrafficOf(state.checkpoints[step.id]);
    if (traffic) lines.push(`      traffic: ${describeStepTraffic(traffic)}`);
  }
  lines.push(`updated ${Math.max(0, Math.round((now - state.updatedAt) / 1000))}s ago`);
  return `${lines.join('\n')}\n`;
}
