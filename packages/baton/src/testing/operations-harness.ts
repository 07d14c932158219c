import { join } from 'node:path';
import type { EngineEvent } from '../engine/engine-event.js';
import type { Journal } from '../engine/journal.js';
import type { RunLock } from '../engine/run-lock.js';
import type { StepRegistry } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import { loadRelease } from '../spec/load-release.js';
import {
  planRelease,
  upgrade,
  type Environment,
  type OperationPorts,
  type PlannedRelease,
  type ReleaseInputs,
  type UpgradeResult,
} from '../operations/index.js';
import { FileArtifactStore } from '../report/file-artifact-store.js';

/** A spec file loaded and planned, as `baton plan` does: the inputs and the plan, in memory. */
export interface PreparedRelease extends PlannedRelease {
  inputs: ReleaseInputs;
}

export async function prepareFile(specPath: string, kube: KubeClient, env: Environment = process.env): Promise<PreparedRelease> {
  const { inputs } = await loadRelease(specPath);
  return { inputs, ...(await planRelease(inputs, { kube, env })) };
}

/** Ports for tests: the given journal and lock, records kept under `<stateDir>/reports`. */
export function testPorts(
  kube: KubeClient,
  engine: { journal: Journal; lock: RunLock; registry?: StepRegistry; onEvent?: (e: EngineEvent) => void },
  stateDir?: string,
): OperationPorts {
  return {
    kube,
    journal: engine.journal,
    lock: engine.lock,
    env: process.env,
    ...(engine.registry ? { registry: engine.registry } : {}),
    ...(engine.onEvent ? { onEvent: engine.onEvent } : {}),
    ...(stateDir ? { artifacts: new FileArtifactStore(join(stateDir, 'reports')) } : {}),
  };
}

/** Runs a prepared release through the upgrade use case. */
export function runPrepared(o: {
  prepared: PreparedRelease;
  kube: KubeClient;
  engine: Parameters<typeof testPorts>[1];
  stateDir?: string;
  tailMs?: number;
}): Promise<UpgradeResult> {
  return upgrade(o.prepared.inputs, testPorts(o.kube, o.engine, o.stateDir), {
    planned: o.prepared,
    ...(o.tailMs !== undefined ? { tailMs: o.tailMs } : {}),
  });
}
