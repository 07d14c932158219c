import { resolve } from 'node:path';
import { planRelease } from '../../operations/plan.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { formatDrift } from '../format-plan.js';
import { loadRelease } from '../../spec/load-release.js';
import { commandContext } from './context.js';

/** Exit 0 when the cluster matches the manifests, 1 when it drifted (like `kubectl diff`). */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const { inputs } = await loadRelease(resolve(io.cwd, String(options.spec))); // bad input first, before any connection
  const { plan } = await planRelease(inputs, commandContext(options, io).ports);
  if (options.output === 'json') printJson(io, 'Drift', { drift: plan.drift });
  else io.stdout.write(formatDrift(plan.drift));
  return plan.drift.length === 0 ? exitCodes.ok : exitCodes.failed;
}
