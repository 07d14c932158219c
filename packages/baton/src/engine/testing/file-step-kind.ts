import { readFileSync } from 'node:fs';
import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../step.js';
import { writeFileAtomic } from '../atomic-write.js';

/**
 * A StepKind whose effects live in a JSON state file, for crash tests: idempotent like real
 * steps must be. `run` checkpoints the value it replaces (once: a re-run keeps the first
 * "before"), does partial work (`<id>.partial`), then either fails (params.fail) or sets
 * `<id>` to "done". `undo` removes both and restores the "before" value. `point(name)` is called
 * at the interesting moments in between, so a test can SIGKILL the process exactly there.
 */
export function createFileStepKind(options: { point?: (name: string) => void } = {}): StepKind {
  const point = options.point ?? (() => undefined);
  return {
    kind: 'file-step',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const file = stateFileOf(step);
      if (!('before' in ctx.checkpoints)) {
        await ctx.checkpoint({ before: readState(file)[step.id] ?? null });
      }
      point(`mid-run:${step.id}`);
      await writeFileAtomic(file, JSON.stringify({ ...readState(file), [`${step.id}.partial`]: true }));
      point(`mid-run-2:${step.id}`);
      if (step.params.fail === 'failed') return { kind: 'failed', reason: `${step.id} failed on purpose` };
      if (step.params.fail === 'throw') throw new Error(`${step.id} threw on purpose`);
      const state = readState(file);
      delete state[`${step.id}.partial`];
      await writeFileAtomic(file, JSON.stringify({ ...state, [step.id]: 'done' }));
      point(`mid-run-3:${step.id}`);
      return { kind: 'done', data: { wrote: step.id } };
    },
    async undo(_ctx: RunContext, step: PlannedStep, checkpoint: JsonObject): Promise<void> {
      const file = stateFileOf(step);
      point(`mid-undo:${step.id}`);
      const state = readState(file);
      delete state[`${step.id}.partial`];
      const before = checkpoint.before;
      if (before === undefined || before === null) delete state[step.id];
      else state[step.id] = before;
      await writeFileAtomic(file, JSON.stringify(state));
      point(`mid-undo-2:${step.id}`);
      if (step.params.undoFail === true) throw new Error(`undo of ${step.id} failed on purpose`);
    },
  };
}

function stateFileOf(step: PlannedStep): string {
  const file = step.params.stateFile;
  if (typeof file !== 'string') throw new Error(`step ${step.id}: params.stateFile must be a path`);
  return file;
}

/** The state file's content ({} when absent). */
export function readState(file: string): JsonObject {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** Plans used by the crash tests. */
export function crashScenario(name: string, stateFile: string): PlannedStep[] {
  const step = (id: string, extra: { reversible?: boolean; fail?: string } = {}): PlannedStep => {
    const params: JsonObject = { stateFile };
    if (extra.fail !== undefined) params.fail = extra.fail;
    return { id, kind: 'file-step', title: id, reversible: extra.reversible ?? true, params };
  };
  switch (name) {
    case 'success':
      return [step('s1'), step('s2'), step('s3', { reversible: false }), step('s4')];
    case 'rollback':
      return [step('s1'), step('s2'), step('s3', { fail: 'failed' }), step('s4')];
    case 'rollback-throw':
      return [step('s1'), step('s2', { fail: 'throw' })];
    case 'halt':
      return [step('s1'), step('s2', { reversible: false }), step('s3', { fail: 'failed' })];
    default:
      throw new Error(`no crash scenario ${name}`);
  }
}
