export type { RunRecord, RunRecordStatus, RunRecordStep, RunRecordBackup, RunRecordMigration, RunRecordDrift } from './run-record.js';
export { summarize, NOT_MEASURED, ROLLOUT_STEP_KINDS } from './summarize.js';
export type { RunSummary, SummaryRow, SummaryMetric } from './summarize.js';
export { renderMarkdown } from './render-markdown.js';
export { renderJson } from './render-json.js';
export { renderHtml } from './render-html.js';
export { renderTimelineSvg } from './timeline-svg.js';
