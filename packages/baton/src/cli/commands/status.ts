import { resolve } from 'node:path';
import { BatonError } from '../../errors.js';
import { FileJournal } from '../../engine/file-journal.js';
import { deriveRunState, type RunState } from '../../engine/run-state.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';

/** Finds a run by id, or the newest run in the state dir. */
export async function loadRun(stateDir: string, runId: string | undefined): Promise<RunState> {
  const journal = new FileJournal({ dir: stateDir });
  let id = runId;
  if (id === undefined) {
    const runs = await journal.listRuns();
    runs.sort((a, b) => b.startedAt - a.startedAt);
    id = runs[0]?.runId;
    if (id === undefined) throw new BatonError('RUN_NOT_FOUND', `no runs in ${stateDir}`, { hint: 'run `baton upgrade` first, or pass --state-dir' });
  }
  const entries = await journal.read(id);
  if (entries.length === 0) throw new BatonError('RUN_NOT_FOUND', `no run ${id} in ${stateDir}`, { hint: 'list runs with `baton releases`' });
  return deriveRunState(entries);
}

export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const state = await loadRun(resolve(io.cwd, options.stateDir as string), args[0]);
  if (options.output === 'json') { printJson(io, state); return exitCodes.ok; }
  io.stdout.write(`run ${state.runId} (${state.namespace}/${state.app}): ${state.status}${state.reason ? ` — ${state.reason}` : ''}\n`);
  for (const step of state.steps) {
    const mark = state.undone.includes(step.id) ? '↶' : step.id in state.completed ? '✓' : state.failure?.stepId === step.id ? '✗'
      : state.inFlight === step.id ? '…' : state.paused?.stepId === step.id ? '⏸' : ' ';
    io.stdout.write(`  ${mark} ${step.title}${step.reversible ? '' : '  [point of no return]'}\n`);
  }
  return exitCodes.ok;
}
