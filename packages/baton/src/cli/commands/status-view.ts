import type { RunState } from '../../engine/run-state.js';
import { routers } from '../../traffic/index.js';
import type { RouterConfig, TrafficSplit } from '../../traffic/traffic-router.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';

export type SplitReading = TrafficSplit | { error: string };

/** Reads a canary / A/B run's traffic split from its router, or says why it cannot. */
export interface TrafficView { router: RouterConfig['kind']; read(): Promise<SplitReading> }

/** The router of the run's set-weight / set-header-route steps, if it has any. */
export function trafficOf(state: RunState, options: Record<string, unknown>, io: CliIO): TrafficView | undefined {
  const step = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route');
  if (!step) return undefined;
  const config = step.params.router as unknown as RouterConfig;
  let router: ReturnType<(typeof routers)[RouterConfig['kind']]> | undefined;
  return {
    router: config.kind,
    async read() {
      try {
        router ??= routers[config.kind](commandContext(options, io).kube, config);
        return await router.current();
      } catch (error) {
        return { error: (error as Error).message };
      }
    },
  };
}

function describeSplit(split: SplitReading): string {
  if ('error' in split) return `traffic: unavailable (${split.error})`;
  const route = split.route === null ? '' : split.route.kind === 'header' ? `; requests with ${split.route.name}: ${split.route.value} -> new` : `; requests with cookie ${split.route.name}=always -> new`;
  return `traffic: new ${split.weight}% / stable ${100 - split.weight}%${split.precision === 'approximate' ? ' (approximate: replica counts)' : ''}${route}`;
}

/** The text of `baton status`: one line per step with its mark, gate verdicts and the split. */
export function describeRun(state: RunState, split: SplitReading | undefined, now: number): string {
  const lines = [`run ${state.runId} (${state.namespace}/${state.app}): ${state.status}${state.reason ? ` — ${state.reason}` : ''}`];
  const current = state.inFlight ?? state.undoInFlight ?? state.paused?.stepId;
  if (current) {
    const step = state.steps.find((s) => s.id === current);
    lines.push(`now: ${state.undoInFlight ? 'undoing ' : ''}${step?.title ?? current}${state.paused ? ` (paused: baton promote ${state.runId} / baton abort ${state.runId})` : ''}`);
  }
  if (split) lines.push(describeSplit(split));
  for (const step of state.steps) {
    const mark = state.undone.includes(step.id) ? '↶' : step.id in state.completed ? '✓' : state.failure?.stepId === step.id ? '✗'
      : state.inFlight === step.id ? '…' : state.paused?.stepId === step.id ? '⏸' : ' ';
    let verdict = '';
    if (step.kind === 'gate') {
      const done = state.completed[step.id] as { passes?: number; evaluations?: number } | undefined;
      if (done) verdict = `  [pass: ${done.passes ?? '?'} of ${done.evaluations ?? '?'} evaluations]`;
      else if (state.failure?.stepId === step.id) verdict = `  [fail: ${state.failure.reason}]`;
      else if (state.inFlight === step.id) verdict = '  [evaluating]';
    }
    lines.push(`  ${mark} ${step.title}${step.reversible ? '' : '  [point of no return]'}${verdict}`);
  }
  lines.push(`updated ${Math.max(0, Math.round((now - state.updatedAt) / 1000))}s ago`);
  return `${lines.join('\n')}\n`;
}
