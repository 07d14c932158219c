import type { z } from 'zod';
import { BatonError } from '../errors.js';
import { toJsonObject, type JsonObject } from '../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from './step.js';

/**
 * One step kind, typed end to end: its params schema (zod) is what planners must build and what
 * run/undo receive, parsed. `D` is what the kind needs from outside (a cluster client...), given
 * when the registry is built. A new kind is one file with one of these and one registry entry.
 */
export interface StepKindDefinition<K extends string, P extends z.ZodType, D> {
  kind: K;
  params: P;
  /** `step` is the planned step itself, for its id and title (messages, names of what it creates). */
  run(ctx: RunContext, params: z.output<P>, deps: D, step: PlannedStep): Promise<StepResult>;
  /** As StepKind.undo: also after a crash part-way through `run`. */
  undo?(ctx: RunContext, params: z.output<P>, checkpoint: JsonObject, deps: D): Promise<void>;
}

export function defineStepKind<K extends string, P extends z.ZodType, D>(
  definition: StepKindDefinition<K, P, D>,
): StepKindDefinition<K, P, D> {
  return definition;
}

/** The engine's untyped StepKind for a definition: params are parsed (and refused clearly) first. */
export function bindStepKind<K extends string, P extends z.ZodType, D>(definition: StepKindDefinition<K, P, D>, deps: D): StepKind {
  const parse = (step: PlannedStep): z.output<P> => {
    const result = definition.params.safeParse(step.params);
    if (result.success) return result.data;
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new BatonError('STEP_PARAMS_INVALID', `step ${step.id} (${definition.kind}) has invalid params: ${issues}`);
  };
  const kind: StepKind = { kind: definition.kind, run: (ctx, step) => definition.run(ctx, parse(step), deps, step) };
  const { undo } = definition;
  if (undo) kind.undo = (ctx, step, checkpoint) => undo(ctx, parse(step), checkpoint, deps);
  return kind;
}

/** A planned step of a typed kind: params checked against the kind's schema by the compiler. */
export function plannedStep<K extends string, P extends z.ZodType, D>(
  definition: StepKindDefinition<K, P, D>,
  step: { id: string; title: string; reversible: boolean; params: z.input<P> },
): PlannedStep {
  return { id: step.id, kind: definition.kind, title: step.title, reversible: step.reversible, params: toJsonObject(step.params) };
}
