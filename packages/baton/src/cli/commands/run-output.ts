import type { RunResult } from '../../operations/run-result.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { finishWith } from './outcome.js';

/**
 * Prints a finished run (the report, where it was kept, the outcome) and picks the exit code.
 * A run that succeeded but broke the probe budget exits 1: the budget is the promise.
 */
export function printRun(
  io: CliIO,
  result: RunResult,
  o: { json: boolean; report?: boolean; budgetDecides?: boolean; extra?: Record<string, unknown> },
): number {
  const { artifacts } = result;
  if (!o.json && o.report !== false) {
    io.stdout.write(`\n${renderMarkdown(result.record)}\n`);
    if (artifacts?.markdown && artifacts.html) io.stdout.write(`Report: ${artifacts.markdown}\n        ${artifacts.html}\n`);
  }
  const files = artifacts ? { files: artifacts } : {};
  const budget = o.budgetDecides && result.budget ? { budgetExceeded: result.budget.exceeded } : {};
  const code = finishWith(io, result.outcome, o.json, { summary: result.summary, ...files, ...budget, ...o.extra });
  if (o.budgetDecides && result.budget?.exceeded && result.outcome.status === 'succeeded') {
    if (!o.json && result.budget.reason) io.stderr.write(`${result.budget.reason}\n`);
    return exitCodes.failed;
  }
  return code;
}
