import type { EnvSources } from './container-env.js';
import type { ImageMap } from './image-map.js';
import type { Container, Pod } from './pod-types.js';
import { buildContainerEnv } from './container-env.js';
import { combineArgv, expandArgv, resolveExecutable } from './container-command.js';

/** What a container needs to start, or why it cannot start yet (each maps to a waiting reason). */
export type LaunchPlan =
  | {
      kind: 'ready';
      env: Record<string, string>;
      argv: string[];
      cwd: string /** undefined: argv[0] not found */;
      file: string | undefined;
    }
  | { kind: 'image-missing'; message: string }
  | { kind: 'config-error'; reason: 'CreateContainerConfigError' | 'CreateContainerError'; message: string };

export interface LaunchContext {
  pod: Pod;
  container: Container;
  images: ImageMap;
  podIP: string;
  hostIP: string;
  sources: EnvSources;
}

/** Resolves image, environment, argv, working dir and executable for one container start. */
export async function planLaunch(x: LaunchContext): Promise<LaunchPlan> {
  const ref = x.container.image ?? '';
  const image = x.images[ref];
  if (!image)
    return { kind: 'image-missing', message: `failed to pull and unpack image "${ref}": image not found in the kubesim image map` };
  const env = await buildContainerEnv({ pod: x.pod, container: x.container, image, podIP: x.podIP, hostIP: x.hostIP, sources: x.sources });
  if (env.kind === 'error') return { kind: 'config-error', reason: 'CreateContainerConfigError', message: env.message };
  const argv = expandArgv(combineArgv(x.container, image), env.env);
  if (argv.length === 0) return { kind: 'config-error', reason: 'CreateContainerError', message: 'no command specified' };
  const cwd = x.container.workingDir ?? image.workingDir ?? '/';
  return { kind: 'ready', env: env.env, argv, cwd, file: resolveExecutable(argv[0]!, env.env.PATH ?? '', cwd) };
}
