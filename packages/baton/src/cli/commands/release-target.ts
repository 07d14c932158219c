import { awaitControl, followRelease, getRelease, newestRelease, requestControl } from '../../controller/release-client.js';
import type { Release, ReleaseControl } from '../../controller/release.js';
import { BatonError } from '../../errors.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { kubeFrom } from './context.js';
import { describeRelease, progressLine } from './release-view.js';

/**
 * A Release the command acts through instead of a local run: named `release/NAME` (as kubectl
 * names objects), or any name with `--in-cluster`; `--in-cluster` alone means the newest Release
 * where a command allows it (status, report). Run ids never contain a slash, so the two never mix.
 */
export interface ReleaseTarget {
  kube: KubeClient;
  namespace: string;
  /** Undefined: the newest Release of the namespace. */
  name: string | undefined;
}

const releasePrefix = /^(?:releases?|releases?\.baton\.dev)\//;

/** The Release the argument and flags name, or undefined for a local run. */
export function releaseTargetOf(options: Record<string, unknown>, arg: string | undefined, io: CliIO): ReleaseTarget | undefined {
  const prefixed = arg !== undefined && releasePrefix.test(arg);
  if (!prefixed && options.inCluster !== true) return undefined;
  const name = arg === undefined ? undefined : arg.replace(releasePrefix, '');
  if (name === '')
    throw new BatonError('USAGE', `"${arg}" names no Release`, { hint: 'write release/NAME, e.g. baton status release/demo-v2' });
  const kube = kubeFrom(options, io);
  const namespace = typeof options.namespace === 'string' ? options.namespace : kube.defaultNamespace;
  return { kube, namespace, name };
}

/** The Release itself (read fresh), or the newest one when none was named. */
export async function readTarget(target: ReleaseTarget): Promise<Release> {
  return target.name === undefined ? newestRelease(target.kube, target.namespace) : getRelease(target.kube, target.namespace, target.name);
}

/** For verbs that change something: an implied "newest" is refused, the Release must be named. */
export function namedTarget(target: ReleaseTarget, verb: string): ReleaseTarget & { name: string } {
  if (target.name === undefined)
    throw new BatonError('USAGE', `baton ${verb} --in-cluster needs the Release's name: it never acts on one it guessed`, {
      hint: `baton ${verb} release/NAME (list them: baton releases --in-cluster)`,
    });
  return { ...target, name: target.name };
}

/**
 * The CLI's exit codes for a Release, as `baton status` gives them for a local run (like
 * `kubectl rollout status`): 0 succeeded or still going, 1 rolled back, aborted or failed,
 * 2 invalid, 3 halted, 4 paused.
 */
export function releaseExitCode(release: Release): number {
  switch (release.status?.phase) {
    case 'Paused':
      return exitCodes.paused;
    case 'Halted':
      return exitCodes.halted;
    case 'Invalid':
      return exitCodes.invalidInput;
    case 'RolledBack':
    case 'Aborted':
    case 'Failed':
      return exitCodes.failed;
    default:
      return exitCodes.ok;
  }
}

/** What a person runs next for a Release that waits on one. */
export function nextForRelease(release: Release): string[] {
  const ref = `release/${release.metadata.name}`;
  const ns = ` -n ${release.metadata.namespace ?? 'default'}`;
  if (release.status?.phase === 'Paused') return [`baton promote ${ref}${ns}`, `baton abort ${ref}${ns}`];
  if (release.status?.phase === 'Halted') return [`baton retry ${ref}${ns} (runs the failed step again)`, `baton abort ${ref}${ns}`];
  return [];
}

/** The Release as text (steps, probe, gates, conditions, next commands) or its status as JSON. */
export function printRelease(io: CliIO, release: Release, o: { json: boolean; extra?: Record<string, unknown>; lines?: string[] }): void {
  if (o.json) {
    printJson(io, 'ReleaseStatus', {
      release: release.metadata.name,
      namespace: release.metadata.namespace,
      ...(release.status ?? {}),
      ...(o.extra ?? {}),
    });
    return;
  }
  io.stdout.write(describeRelease(release));
  for (const line of o.lines ?? []) io.stdout.write(`${line}\n`);
  for (const next of nextForRelease(release)) io.stdout.write(`  next: ${next}\n`);
}

/**
 * promote / abort / retry through the Release: a status patch (refused before writing when it
 * cannot apply or no controller leads), then, unless --detach, the Release followed until the
 * controller acted and it rests; exits as the local verb does for the same outcome.
 */
export async function controlRelease(
  target: ReleaseTarget & { name: string },
  verb: 'promote' | 'abort' | 'retry',
  control: ReleaseControl,
  options: Record<string, unknown>,
  io: CliIO,
): Promise<number> {
  const json = options.output === 'json';
  const patched = await requestControl(target.kube, target.namespace, target.name, control, { verb });
  if (!json)
    io.stderr.write(
      `asked the controller to ${verb} Release ${target.namespace}/${target.name} (status.control)${options.detach ? '' : '; following it (Ctrl-C stops following, not the request)'}\n`,
    );
  if (options.detach) {
    printRelease(io, patched, { json });
    return exitCodes.ok;
  }
  const last = await awaitControl(target.kube, patched, verb, { signal: io.signal, onChange: progress(io, json) });
  printRelease(io, last, { json });
  return releaseExitCode(last);
}

/** Follows a Release until it rests, with a progress line per change (not with -o json). */
export async function followToRest(
  target: { kube: KubeClient; namespace: string },
  name: string,
  options: Record<string, unknown>,
  io: CliIO,
): Promise<Release> {
  return followRelease(target.kube, target.namespace, name, progress(io, options.output === 'json'), io.signal);
}

function progress(io: CliIO, json: boolean): (release: Release) => void {
  let previous = '';
  return (release) => {
    const line = progressLine(release);
    if (!json && line !== previous) io.stderr.write(`${line}\n`);
    previous = line;
  };
}
