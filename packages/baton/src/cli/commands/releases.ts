import { resolve } from 'node:path';
import { loadSpec } from '../../spec/load-spec.js';
import { readHistory } from '../../strategies/steps/release-history.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { commandContext } from './context.js';

export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const { spec } = await loadSpec(resolve(io.cwd, options.spec as string));
  const ctx = commandContext(options, io);
  const history = await readHistory(ctx.kube, spec.namespace, spec.app);
  const runs = (await ctx.journal.listRuns({ app: spec.app })).sort((a, b) => a.startedAt - b.startedAt);
  if (options.output === 'json') { printJson(io, { releases: history, runs }); return exitCodes.ok; }
  io.stdout.write(`Releases of ${spec.namespace}/${spec.app} (from the cluster):\n`);
  if (history.length === 0) io.stdout.write('  (none recorded yet)\n');
  history.forEach((r, i) => io.stdout.write(`  ${i === history.length - 1 ? '*' : ' '} ${r.version.padEnd(12)} ${r.image.padEnd(36)} ${r.strategy.padEnd(10)} ${r.at}  run ${r.runId}\n`));
  io.stdout.write(`\nRuns in ${ctx.stateDir}:\n`);
  if (runs.length === 0) io.stdout.write('  (none)\n');
  for (const r of runs) io.stdout.write(`  ${r.runId}  ${r.status.padEnd(11)} ${new Date(r.startedAt).toISOString()}${r.reason ? `  ${r.reason}` : ''}\n`);
  return exitCodes.ok;
}
