import { collectGarbage, type GcReport } from '../upgrade/gc.js';
import type { BatonSpec } from '../spec/schema.js';
import { engineOptions } from './engine-options.js';
import type { OperationPorts } from './ports.js';

export type { GcReport } from '../upgrade/gc.js';

/**
 * `gc` (rainbow): deletes old releases with no active task past their minimum age, in one
 * journaled run under the app's lock; says why each other one stays. `dryRun` decides only.
 */
export async function gc(request: { spec: BatonSpec; dryRun?: boolean; minAgeMs?: number }, ports: OperationPorts): Promise<GcReport> {
  await ports.kube.version();
  return collectGarbage({
    kube: ports.kube,
    spec: request.spec,
    engine: engineOptions(ports),
    dryRun: request.dryRun === true,
    ...(request.minAgeMs !== undefined ? { minAgeMs: request.minAgeMs } : {}),
    ...(ports.clock ? { now: () => ports.clock?.now() ?? Date.now() } : {}),
  });
}
