import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalStatus, type RunStatus } from '../../engine/run-status.js';
import { status } from '../../operations/status.js';
import type { LockTarget } from '../../engine/run-lock.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { LeaseLock } from '../../kube/lease-lock.js';
import { exitCodes, runStatusExitCode } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { fileJournal, kubeFrom, stateDirOf } from './context.js';
import { describeRun, describeSplit } from './status-view.js';
import { isFinalPhase } from '../../controller/release.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import { printRelease, readTarget, releaseExitCode, releaseTargetOf, type ReleaseTarget } from './release-target.js';

/**
 * `baton status [RUN]`: steps, outcome, gate verdicts and, for canary / A/B runs, the traffic
 * split read back from the router. `--watch` redraws every `--interval` ms until the run ends
 * (or Ctrl-C).
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return releaseStatus(target, options, io);
  const journal = fileJournal(stateDirOf(options, io));
  const watch = options.watch === true;
  const interval = Number(options.interval ?? 1000);
  // The cluster is reached only for a run whose steps drive a router, and only once.
  let kube: KubeClient | undefined;
  const lazyKube = (): KubeClient => (kube ??= kubeFrom(options, io));
  for (;;) {
    // The app's Lease says whether a "running" run still has a live process behind it.
    const lock = { inspect: async (target: LockTarget) => new LeaseLock(lazyKube()).inspect(target) };
    const view = await status({ ...(args[0] ? { runId: args[0] } : {}) }, { journal, kube: lazyKube, lock });
    const { state, traffic, interrupted } = view;
    if (options.output === 'json')
      printJson(io, 'RunStatus', {
        ...state,
        ...(traffic ? { traffic: splitJson(traffic) } : {}),
        ...(interrupted ? { interrupted } : {}),
      });
    else {
      // On a terminal, redraw in place; piped, each refresh is appended.
      if (watch) io.stdout.write((io.stdout as { isTTY?: boolean }).isTTY ? '\x1b[2J\x1b[H' : '\n');
      io.stdout.write(describeRun(state, traffic, Date.now()));
      if (interrupted)
        io.stdout.write(
          `interrupted: ${interrupted.reason}; continue it with \`${interrupted.next}\` (or abort it: baton abort ${state.runId})\n`,
        );
    }
    // An interrupted run needs a human, as a halted one does.
    if (interrupted) return exitCodes.halted;
    // A paused run is still watched: someone may promote or abort it from another terminal.
    if (!watch || isFinalStatus(state.status)) return runStatusExitCode(state.status);
    try {
      await sleep(interval, undefined, { signal: io.signal });
    } catch {
      return runStatusExitCode(state.status); // Ctrl-C ends watching; the run itself is not touched
    }
  }
}

/**
 * `baton status release/NAME` (or `--in-cluster [NAME]`: default the newest Release): the
 * Release's status as the controller wrote it, and, read through the same status use case from
 * the run's journal ConfigMap, the traffic split its router reports now. Exits by the Release's
 * phase with the local table.
 */
async function releaseStatus(target: ReleaseTarget, options: Record<string, unknown>, io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const journal = new ConfigMapJournal(target.kube, target.namespace);
  const interval = Number(options.interval ?? 1000);
  for (;;) {
    const release = await readTarget(target);
    const runId = release.status?.runId;
    const traffic = runId === undefined ? undefined : (await status({ runId }, { journal, kube: target.kube })).traffic;
    if (options.watch === true && !json) io.stdout.write((io.stdout as { isTTY?: boolean }).isTTY ? '\x1b[2J\x1b[H' : '\n');
    printRelease(io, release, { json, ...(traffic ? { extra: { traffic: splitJson(traffic) }, lines: [describeSplit(traffic)] } : {}) });
    if (options.watch !== true || isFinalPhase(release.status?.phase)) return releaseExitCode(release);
    try {
      await sleep(interval, undefined, { signal: io.signal });
    } catch {
      return releaseExitCode(release); // Ctrl-C ends watching; the Release is not touched
    }
  }
}

/** The JSON shape `baton status -o json` has always printed: the split without the router name. */
function splitJson(split: NonNullable<Awaited<ReturnType<typeof status>>['traffic']>): object {
  const { router: _router, ...rest } = split;
  return rest;
}
