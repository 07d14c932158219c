import { loadSpec } from '../../spec/load-spec.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { summarize } from '../../report/summarize.js';
import { prepare } from '../../upgrade/prepare.js';
import { runUpgrade } from '../../upgrade/run-upgrade.js';
import { formatPlan } from '../format-plan.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { finishWith } from './outcome.js';
import { exitCodes } from '../exit-codes.js';

export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  await loadSpec(resolve(io.cwd, options.spec as string)); // bad input first, before any connection
  const ctx = commandContext(options, io);
  const prepared = await prepare({ specPath: resolve(io.cwd, options.spec as string), kube: ctx.kube, env: io.env });
  if (!json) io.stderr.write(formatPlan(prepared.plan));
  const result = await runUpgrade({
    prepared, engine: ctx.engine, stateDir: ctx.stateDir, probe: options.probe !== false,
    onNotice: (m) => { if (!json) io.stderr.write(`${m}\n`); },
  });
  const summary = summarize(JSON.parse(await readFile(result.files.record, 'utf8')));
  if (!json) {
    io.stdout.write(`\n${await readFile(result.files.markdown, 'utf8')}\nReport: ${result.files.markdown}\n        ${result.files.html}\n`);
  }
  // The spec's probe budget is the promise: a run that completed but let more requests fail (or
  // streams be cut) than it allows is reported as a failure, not a success.
  const budget = prepared.loaded.spec.probe.budget;
  const over = result.probe && (result.probe.requests.failed > budget.maxFailedRequests || (result.probe.streams?.cut ?? 0) > budget.maxCutStreams);
  const code = finishWith(io, result.outcome, json, { summary, files: result.files, ...(result.probe ? { budgetExceeded: Boolean(over) } : {}) });
  if (over && result.outcome.status === 'succeeded') {
    if (!json) io.stderr.write(`the probe budget was exceeded: ${result.probe!.requests.failed} failed requests (budget ${budget.maxFailedRequests}), ${result.probe!.streams?.cut ?? 0} streams cut (budget ${budget.maxCutStreams})\n`);
    return exitCodes.failed;
  }
  return code;
}
