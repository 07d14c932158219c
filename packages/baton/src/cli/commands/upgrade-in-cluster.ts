import { resolve } from 'node:path';
import { createRelease, followRelease } from '../../controller/release-client.js';
import type { Release } from '../../controller/release.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import { loadSpec } from '../../spec/load-spec.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { describeRelease, progressLine } from './release-view.js';

/**
 * `baton upgrade --in-cluster`: packs the spec's files into content-hashed ConfigMaps, creates a
 * Release for the controller and follows it (Ctrl-C stops following, not the run: the controller
 * owns it). `--detach` returns right after creating it.
 */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const loaded = await loadSpec(resolve(io.cwd, options.spec as string)); // bad input first, before any connection
  const kubeconfig = options.kubeconfig as string | undefined;
  const kube = new ClientNodeKubeClient({
    ...(kubeconfig
      ? { kubeconfigPath: resolve(io.cwd, kubeconfig) }
      : io.env.KUBECONFIG
        ? { kubeconfigPath: io.env.KUBECONFIG.split(':')[0]! }
        : {}),
    ...(options.context ? { context: options.context as string } : {}),
  });
  await kube.version();
  const created = await createRelease(kube, loaded, options.name ? { name: options.name as string } : {});
  const ns = created.metadata.namespace ?? loaded.spec.namespace;
  if (!json)
    io.stderr.write(
      `created Release ${ns}/${created.metadata.name}; the controller runs it (follow: baton release status ${created.metadata.name} --watch -n ${ns})\n`,
    );
  if (options.detach) {
    if (json) printJson(io, 'InClusterRelease', { release: created.metadata.name, namespace: ns });
    return exitCodes.ok;
  }
  let previous = '';
  const last = await followRelease(
    kube,
    ns,
    created.metadata.name,
    (release) => {
      const line = progressLine(release);
      if (!json && line !== previous) io.stderr.write(`${line}\n`);
      previous = line;
    },
    io.signal,
  );
  if (json) printJson(io, 'InClusterRelease', { release: last.metadata.name, namespace: ns, status: last.status ?? {} });
  else io.stdout.write(describeRelease(last));
  return exitCodeOf(last);
}

/** The CLI's exit codes for a Release's resting phase. */
export function exitCodeOf(release: Release): number {
  const phase = release.status?.phase;
  switch (phase) {
    case 'Succeeded':
      return (release.status?.probe?.failed ?? 0) > 0 ? exitCodes.failed : exitCodes.ok;
    case 'Paused':
      return exitCodes.paused;
    case 'Halted':
      return exitCodes.halted;
    case 'Invalid':
      return exitCodes.invalidInput;
    case undefined:
      return exitCodes.ok;
    case 'Running':
    case 'Waiting':
    case 'Pending':
      return exitCodes.ok;
    default:
      return exitCodes.failed;
  }
}
