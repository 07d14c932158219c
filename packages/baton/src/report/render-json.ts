import type { RunRecord } from './run-record.js';
import { summarize } from './summarize.js';

/** The run record as pretty JSON, with the summary table beside it for machines that want it. */
export function renderJson(r: RunRecord): string {
  // apiVersion and kind first, as in every JSON baton prints (docs/json-output.md).
  return `${JSON.stringify({ apiVersion: 'baton.dev/v1alpha1', kind: 'RunReport', ...r, summary: summarize(r).rows }, null, 2)}\n`;
}
