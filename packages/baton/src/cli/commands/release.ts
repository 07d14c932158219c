import { followRelease, listReleases, requestControl } from '../../controller/release-client.js';
import type { ReleaseControl } from '../../controller/release.js';
import { BatonError } from '../../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { kubeFrom } from './context.js';
import { progressLine } from './release-view.js';
import { controlRelease, printRelease, releaseExitCode, type ReleaseTarget } from './release-target.js';
import { run as report } from './report.js';
import { run as status } from './status.js';

const followed = { promote: { promote: true }, abort: { abort: true }, retry: { retry: true } } as const satisfies Record<
  string,
  ReleaseControl
>;
const patchOnly: Record<string, ReleaseControl> = { pause: { pause: true }, resume: { pause: false } };

/**
 * `baton release VERB [NAME]`: the older spelling of the verbs on Releases. `status` and `report`
 * are `baton status|report release/NAME`; `promote|abort|retry` the same status patches as
 * `baton promote|abort|resume release/NAME` (followed with --watch); `pause|resume` patch
 * status.control.pause; `list` is `baton releases --in-cluster` without the history.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const [verb, name] = args as [string, string | undefined];
  const json = options.output === 'json';
  const kube = kubeFrom(options, io);
  const namespace = typeof options.namespace === 'string' ? options.namespace : kube.defaultNamespace;
  if (verb === 'list') {
    const releases = await listReleases(kube, options.allNamespaces ? undefined : namespace, options.app as string | undefined);
    if (json)
      printJson(
        io,
        'ReleaseList',
        releases.map((r) => ({ name: r.metadata.name, namespace: r.metadata.namespace, app: r.spec.upgrade.app, status: r.status ?? {} })),
      );
    else for (const r of releases) io.stdout.write(`${progressLine(r)}\n`);
    return exitCodes.ok;
  }
  if (name === undefined)
    throw new BatonError('USAGE', `baton release ${verb} needs a Release name`, { hint: 'list them with: baton release list' });
  const target: ReleaseTarget & { name: string } = { kube, namespace, name };
  const asRelease = { ...options, inCluster: true, namespace };
  if (verb === 'status') return status(asRelease, [name], io);
  if (verb === 'report') return report(asRelease, [name], io);
  if (verb in followed) {
    const control = {
      ...followed[verb as keyof typeof followed],
      ...(verb === 'abort' && options.reason ? { reason: String(options.reason) } : {}),
    };
    return controlRelease(target, verb as keyof typeof followed, control, { ...options, detach: options.watch !== true }, io);
  }
  const control = patchOnly[verb];
  if (control === undefined)
    throw new BatonError('USAGE', `unknown verb ${verb}`, { hint: 'one of: list, status, report, promote, abort, pause, resume, retry' });
  await requestControl(kube, namespace, name, control, { verb: verb === 'pause' ? 'pause' : 'resume' });
  if (!json) io.stderr.write(`asked the controller to ${verb} Release ${namespace}/${name} (status.control)\n`);
  if (options.watch !== true) return exitCodes.ok;
  const last = await followRelease(
    kube,
    namespace,
    name,
    (r) => {
      if (!json) io.stderr.write(`${progressLine(r)}\n`);
    },
    io.signal,
  );
  printRelease(io, last, { json });
  return releaseExitCode(last);
}
