import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BatonError } from '../../errors.js';
import type { RunRecord } from '../../report/run-record.js';
import { renderHtml, renderJson, renderMarkdown } from '../../report/render.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { loadRun } from './status.js';

export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const stateDir = resolve(io.cwd, options.stateDir as string);
  const state = await loadRun(stateDir, args[0]);
  let record: RunRecord;
  try {
    record = JSON.parse(await readFile(join(stateDir, 'reports', `${state.runId}.json`), 'utf8')) as RunRecord;
  } catch (error) {
    throw new BatonError('RUN_NOT_FOUND', `run ${state.runId} has no record yet (it is still running, or it was interrupted before the end)`, { cause: error, hint: `see its state with \`baton status ${state.runId}\`` });
  }
  const format = options.format as string;
  const text = format === 'html' ? renderHtml(record) : format === 'json' ? renderJson(record) : renderMarkdown(record);
  if (options.out) {
    await writeFile(resolve(io.cwd, options.out as string), text);
    io.stderr.write(`wrote ${options.out as string}\n`);
  } else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return exitCodes.ok;
}
