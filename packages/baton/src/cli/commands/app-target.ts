import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../../errors.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { BatonSpec } from '../../spec/schema.js';
import { loadSpec } from '../../spec/load-spec.js';
import type { CliIO } from '../io.js';
import { kubeFrom } from './context.js';

/** The app a command reads about, and where it lives. */
export interface AppTarget {
  kube: KubeClient;
  namespace: string;
  /** Undefined when neither the command line nor a baton.yaml names one. */
  app: string | undefined;
}

/**
 * The app named on the command line, else the one of baton.yaml (--spec) when that file is
 * there; its namespace from -n, else the spec's (when the spec is that app's), else the
 * kubeconfig's.
 */
export async function appTargetOf(options: Record<string, unknown>, named: string | undefined, io: CliIO): Promise<AppTarget> {
  const spec = await specOf(options, named, io);
  return { ...where(options, io, spec), app: named ?? spec?.app };
}

/** As `appTargetOf`, for a command that needs an app: none is a USAGE error, before any connection. */
export async function requiredAppTargetOf(
  options: Record<string, unknown>,
  named: string | undefined,
  io: CliIO,
  command: string,
): Promise<AppTarget & { app: string }> {
  const spec = await specOf(options, named, io);
  const app = named ?? spec?.app;
  if (app === undefined) {
    throw new BatonError('USAGE', `${command} needs an app: none was named and there is no ${String(options.spec ?? 'baton.yaml')} here`, {
      hint: `name it (${command} APP -n NAMESPACE) or point at its spec (-f path/to/baton.yaml)`,
    });
  }
  return { ...where(options, io, spec), app };
}

/** baton.yaml when it is there and is the named app's (or no app was named). */
async function specOf(options: Record<string, unknown>, named: string | undefined, io: CliIO): Promise<BatonSpec | undefined> {
  const specFile = resolve(io.cwd, String(options.spec ?? 'baton.yaml'));
  const loaded = existsSync(specFile) ? (await loadSpec(specFile)).spec : undefined;
  return named === undefined || loaded?.app === named ? loaded : undefined;
}

function where(options: Record<string, unknown>, io: CliIO, spec: BatonSpec | undefined): { kube: KubeClient; namespace: string } {
  const kube = kubeFrom(options, io);
  return { kube, namespace: typeof options.namespace === 'string' ? options.namespace : (spec?.namespace ?? kube.defaultNamespace) };
}
