import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeClient } from '../../kube/kube-client.js';
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
  const specFile = resolve(io.cwd, String(options.spec ?? 'baton.yaml'));
  const loaded = existsSync(specFile) ? (await loadSpec(specFile)).spec : undefined;
  const spec = named === undefined || loaded?.app === named ? loaded : undefined;
  const kube = kubeFrom(options, io);
  const namespace = typeof options.namespace === 'string' ? options.namespace : spec?.namespace ?? kube.defaultNamespace;
  return { kube, namespace, app: named ?? spec?.app };
}
