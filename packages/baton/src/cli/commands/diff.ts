import { loadSpec } from '../../spec/load-spec.js';
import { resolve } from 'node:path';
import { prepare } from '../../upgrade/prepare.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { formatDrift } from '../format-plan.js';
import { commandContext } from './context.js';

/** Exit 0 when the cluster matches the manifests, 1 when it drifted (like `kubectl diff`). */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  await loadSpec(resolve(io.cwd, options.spec as string)); // bad input first, before any connection
  const { kube } = commandContext(options, io);
  const { plan } = await prepare({ specPath: resolve(io.cwd, options.spec as string), kube, env: io.env });
  if (options.output === 'json') printJson(io, { drift: plan.drift });
  else io.stdout.write(formatDrift(plan.drift));
  return plan.drift.length === 0 ? exitCodes.ok : exitCodes.failed;
}
