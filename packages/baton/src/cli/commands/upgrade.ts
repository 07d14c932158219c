import { resolve } from 'node:path';
import { planRelease } from '../../operations/plan.js';
import { upgrade } from '../../operations/upgrade.js';
import { formatPlan } from '../format-plan.js';
import type { CliIO } from '../io.js';
import { loadRelease } from '../../spec/load-release.js';
import { commandContext } from './context.js';
import { printRun } from './run-output.js';

/** `baton upgrade`: shows the plan, runs it under the probe, prints the report. */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const { inputs } = await loadRelease(resolve(io.cwd, String(options.spec))); // bad input first, before any connection
  const { ports } = commandContext(options, io);
  const planned = await planRelease(inputs, ports);
  if (!json) io.stderr.write(formatPlan(planned.plan));
  const result = await upgrade(inputs, ports, { planned, probe: options.probe !== false });
  return printRun(io, result, { json, budgetDecides: true });
}
