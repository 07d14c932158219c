import type { RunRecord } from './run-record.js';
import { summarize } from './summarize.js';

/** The run record as pretty JSON, with the summary table beside it for machines that want it. */
export function renderJson(r: RunRecord): string {
  return `${JSON.stringify({ ...r, summary: summarize(r).rows }, null, 2)}\n`;
}
