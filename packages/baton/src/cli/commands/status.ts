import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../../errors.js';
import { FileJournal } from '../../engine/file-journal.js';
import { deriveRunState, type RunState } from '../../engine/run-state.js';
import { isFinalStatus } from '../../engine/run-status.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { describeRun, trafficOf, type TrafficView } from './status-view.js';

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

/**
 * `baton status [RUN]`: steps, outcome, gate verdicts and, for canary / A/B runs, the traffic
 * split read back from the router. `--watch` redraws every `--interval` ms until the run ends
 * (or Ctrl-C).
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const stateDir = resolve(io.cwd, options.stateDir as string);
  const watch = options.watch === true;
  const interval = Number(options.interval ?? 1000);
  let traffic: TrafficView | undefined;
  for (;;) {
    const state = await loadRun(stateDir, args[0]);
    traffic ??= trafficOf(state, options, io);
    const split = traffic ? await traffic.read() : undefined;
    if (options.output === 'json') printJson(io, { ...state, ...(split ? { traffic: split } : {}) });
    else {
      // On a terminal, redraw in place; piped, each refresh is appended.
      if (watch) io.stdout.write((io.stdout as { isTTY?: boolean }).isTTY ? '\x1b[2J\x1b[H' : '\n');
      io.stdout.write(describeRun(state, split, Date.now()));
    }
    // A paused run is still watched: someone may promote or abort it from another terminal.
    if (!watch || isFinalStatus(state.status)) return exitCodes.ok;
    try {
      await sleep(interval, undefined, { signal: io.signal });
    } catch {
      return exitCodes.ok; // Ctrl-C ends watching; the run itself is not touched
    }
  }
}
