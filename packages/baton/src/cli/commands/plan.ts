import { resolve } from 'node:path';
import { planRelease } from '../../operations/plan.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { formatPlan } from '../format-plan.js';
import { loadRelease } from '../../spec/load-release.js';
import { commandContext } from './context.js';

export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const { inputs } = await loadRelease(resolve(io.cwd, String(options.spec))); // bad input first, before any connection
  const { plan } = await planRelease(inputs, commandContext(options, io).ports);
  if (options.output === 'json') printJson(io, 'Plan', plan);
  else io.stdout.write(formatPlan(plan));
  return exitCodes.ok;
}
