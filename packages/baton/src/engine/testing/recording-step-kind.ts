import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../step.js';

/** How a recording step behaves on its next run / undo. Tests change it between calls. */
export interface ScriptedBehaviour {
  run?: 'done' | 'failed' | 'throw' | 'paused' | 'hang';
  undo?: 'ok' | 'throw';
  /** Recorded with `ctx.checkpoint` before the run acts. */
  checkpoint?: JsonObject;
  /** Returned as the done result's data. */
  data?: JsonObject;
  /** The run waits for this before it returns its result (a step still in flight meanwhile). */
  until?: Promise<void>;
  /** Called as the run begins. */
  onRun?: () => void;
}

/** What a recording step saw, for assertions on contexts. */
export interface ObservedCall {
  call: string;
  results: Record<string, JsonObject>;
  checkpoints: JsonObject;
  undoCheckpoint?: JsonObject;
}

/**
 * A StepKind for engine tests: records `run:<id>` and `undo:<id>` in call order and behaves as
 * `script[id]` says (done by default). `hang` waits for the step's signal and then throws, as a
 * well-behaved step cancelled mid-way does.
 */
export function createRecordingKind(kind = 'test'): {
  kind: StepKind;
  calls: string[];
  observed: ObservedCall[];
  script: Record<string, ScriptedBehaviour>;
} {
  const calls: string[] = [];
  const observed: ObservedCall[] = [];
  const script: Record<string, ScriptedBehaviour> = {};
  const stepKind: StepKind = {
    kind,
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      calls.push(`run:${step.id}`);
      observed.push({ call: `run:${step.id}`, results: { ...ctx.results }, checkpoints: { ...ctx.checkpoints } });
      const behaviour = script[step.id] ?? {};
      behaviour.onRun?.();
      if (behaviour.checkpoint !== undefined) await ctx.checkpoint(behaviour.checkpoint);
      ctx.progress(`running ${step.id}`, 0.5);
      if (behaviour.until !== undefined) await behaviour.until;
      switch (behaviour.run ?? 'done') {
        case 'failed':
          return { kind: 'failed', reason: `${step.id} said no` };
        case 'throw':
          throw new Error(`${step.id} blew up`);
        case 'paused':
          return { kind: 'paused', reason: `${step.id} wants a human` };
        case 'hang':
          await new Promise<void>((_resolve, reject) => {
            if (ctx.signal.aborted) reject(new Error(`${step.id} cancelled`));
            ctx.signal.addEventListener('abort', () => reject(new Error(`${step.id} cancelled`)), { once: true });
          });
          return { kind: 'done' };
        case 'done':
          return behaviour.data === undefined ? { kind: 'done' } : { kind: 'done', data: behaviour.data };
      }
    },
    async undo(ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      calls.push(`undo:${step.id}`);
      observed.push({
        call: `undo:${step.id}`,
        results: { ...ctx.results },
        checkpoints: { ...ctx.checkpoints },
        undoCheckpoint: checkpoint,
      });
      if ((script[step.id] ?? {}).undo === 'throw') throw new Error(`undo of ${step.id} blew up`);
    },
  };
  return { kind: stepKind, calls, observed, script };
}

/** A PlannedStep of the recording kind. */
export function testStep(id: string, options: { reversible?: boolean; kind?: string } = {}): PlannedStep {
  return { id, kind: options.kind ?? 'test', title: `test step ${id}`, reversible: options.reversible ?? true, params: {} };
}

/** Keeps step `stepId` in flight until `finish()`; `started` resolves once its run begins. */
export function holdStep(script: Record<string, ScriptedBehaviour>, stepId: string): { started: Promise<void>; finish: () => void } {
  let finish = (): void => undefined;
  let began = (): void => undefined;
  const started = new Promise<void>((resolve) => {
    began = resolve;
  });
  script[stepId] = {
    ...script[stepId],
    until: new Promise<void>((resolve) => {
      finish = resolve;
    }),
    onRun: () => began(),
  };
  return { started, finish: () => finish() };
}
