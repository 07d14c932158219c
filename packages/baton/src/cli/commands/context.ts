import { resolve } from 'node:path';
import { FileJournal } from '../../engine/file-journal.js';
import type { Journal } from '../../engine/journal.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import type { EngineOptions } from '../../engine/engine.js';
import type { StepRegistry } from '../../engine/step.js';
import { KubeClient } from '../../kube/kube-client.js';
import { LeaseLock } from '../../kube/lease-lock.js';
import { stepRegistry } from '../../upgrade/step-registry.js';
import type { CliIO } from '../io.js';
import { progressPrinter } from '../progress.js';

/** What cluster-facing commands build from their flags: one client, the journal, the lock. */
export interface CommandContext {
  kube: KubeClient;
  journal: Journal;
  registry: StepRegistry;
  engine: EngineOptions;
  stateDir: string;
}

export function commandContext(options: Record<string, unknown>, io: CliIO): CommandContext {
  const kubeconfig = (options.kubeconfig as string | undefined) ?? undefined;
  const kube = new KubeClient({
    ...(kubeconfig ? { kubeconfigPath: resolve(io.cwd, kubeconfig) } : io.env.KUBECONFIG ? { kubeconfigPath: io.env.KUBECONFIG.split(':')[0]! } : {}),
    ...(options.context ? { context: options.context as string } : {}),
  });
  const stateDir = resolve(io.cwd, (options.stateDir as string | undefined) ?? '.baton');
  // In a pod nothing on disk outlives the run: keep the journal in the cluster instead.
  const journal: Journal = options.journal === 'configmap' ? new ConfigMapJournal(kube, kube.defaultNamespace) : new FileJournal({ dir: stateDir });
  const registry = stepRegistry(kube, { env: io.env });
  const json = options.output === 'json';
  const engine: EngineOptions = {
    journal,
    lock: new LeaseLock(kube),
    registry,
    signal: io.signal,
    onEvent: progressPrinter(io, { quiet: json }),
  };
  return { kube, journal, registry, engine, stateDir };
}
