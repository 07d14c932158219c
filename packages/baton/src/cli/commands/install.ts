import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { installManifests, kustomizeFiles } from '../../controller/install-manifests.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/**
 * `baton install`: prints the controller's manifests (the same objects as `kubectl apply -k
 * config/`), applies them with `--apply`, or writes the kustomize folder with `--write DIR`.
 */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const o = {
    ...(options.namespace ? { namespace: options.namespace as string } : {}),
    ...(options.image ? { image: options.image as string } : {}),
  };
  if (options.write) {
    const dir = resolve(io.cwd, options.write as string);
    for (const [file, text] of Object.entries(kustomizeFiles((obj) => stringify(obj), o))) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    io.stdout.write(`wrote ${dir} (kubectl apply -k ${options.write as string})\n`);
    return exitCodes.ok;
  }
  const objects = installManifests(o);
  if (!options.apply) {
    io.stdout.write(objects.map((obj) => `---\n${stringify(obj)}`).join(''));
    return exitCodes.ok;
  }
  const kubeconfig = options.kubeconfig as string | undefined;
  const kube = new ClientNodeKubeClient({
    ...(kubeconfig ? { kubeconfigPath: resolve(io.cwd, kubeconfig) } : {}),
    ...(options.context ? { context: options.context as string } : {}),
  });
  await kube.version();
  for (const obj of objects) {
    await kube.apply<KubeObject>(obj, { force: true });
    io.stdout.write(`${obj.kind.toLowerCase()}/${obj.metadata.name} applied\n`);
  }
  return exitCodes.ok;
}
