import { join, resolve } from 'node:path';
import { FileJournal } from '../../engine/file-journal.js';
import type { Journal } from '../../engine/journal.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import { LeaseLock } from '../../kube/lease-lock.js';
import type { OperationPorts } from '../../operations/ports.js';
import { FileArtifactStore } from '../../report/file-artifact-store.js';
import type { CliIO } from '../io.js';
import { progressPrinter } from '../progress.js';
import { readRecordedRun } from '../../operations/recorded-run.js';
import { assertNotFinal } from '../../engine/engine.js';

/** What cluster-facing commands build from their flags: the ports every use case takes. */
export interface CommandContext {
  ports: OperationPorts;
  stateDir: string;
}

/** The kubeconfig the flags name (--kubeconfig, then $KUBECONFIG's first file, then the default). */
export function kubeFrom(options: Record<string, unknown>, io: CliIO): KubeClient {
  const kubeconfig = typeof options.kubeconfig === 'string' ? options.kubeconfig : undefined;
  return new ClientNodeKubeClient({
    ...(kubeconfig
      ? { kubeconfigPath: resolve(io.cwd, kubeconfig) }
      : io.env.KUBECONFIG
        ? { kubeconfigPath: io.env.KUBECONFIG.split(':')[0] ?? io.env.KUBECONFIG }
        : {}),
    ...(typeof options.context === 'string' ? { context: options.context } : {}),
  });
}

export function stateDirOf(options: Record<string, unknown>, io: CliIO): string {
  return resolve(io.cwd, typeof options.stateDir === 'string' ? options.stateDir : '.baton');
}

/** The file store under --state-dir: journals in runs/, records and reports in reports/. */
export function fileJournal(stateDir: string): Journal {
  return new FileJournal({ dir: stateDir });
}

export function fileArtifacts(stateDir: string): FileArtifactStore {
  return new FileArtifactStore(join(stateDir, 'reports'));
}

export function commandContext(options: Record<string, unknown>, io: CliIO): CommandContext {
  const kube = kubeFrom(options, io);
  const stateDir = stateDirOf(options, io);
  // In a pod nothing on disk outlives the run: keep the journal in the cluster instead.
  const journal: Journal = options.journal === 'configmap' ? new ConfigMapJournal(kube, kube.defaultNamespace) : fileJournal(stateDir);
  const json = options.output === 'json';
  return {
    stateDir,
    ports: {
      kube,
      journal,
      lock: new LeaseLock(kube),
      artifacts: fileArtifacts(stateDir),
      env: io.env,
      signal: io.signal,
      onEvent: progressPrinter(io, { quiet: json }),
      onNotice: (m) => {
        if (!json) io.stderr.write(`${m}\n`);
      },
    },
  };
}

/**
 * A local run named on the command line must be in the journal, and not ended, before baton
 * loads a kubeconfig or connects: `baton resume typo` is exit 2 "no run typo", not a cluster
 * error, and resume, abort and promote of a finished run all answer RUN_FINISHED (exit 2) with
 * nothing written. (The journal in ConfigMaps is read where it lives, by the operation.)
 */
export async function requireRecordedRun(
  options: Record<string, unknown>,
  io: CliIO,
  runId: string,
  action: 'resume' | 'abort' | 'promote',
): Promise<void> {
  if (options.journal === 'configmap') return;
  const journal = new FileJournal({ dir: stateDirOf(options, io) });
  try {
    assertNotFinal((await readRecordedRun(journal, runId)).state, action);
  } finally {
    await journal.close();
  }
}
