// The report's public surface (package export "./report"): the record a run leaves, its summary,
// the renderers, and where records are kept.
export type {
  RunRecord,
  RunRecordStatus,
  RunRecordStep,
  RunRecordBackup,
  RunRecordMigration,
  RunRecordDrift,
  RunRecordEvent,
} from './run-record.js';
export { summarize, NOT_MEASURED } from './summarize.js';
export type { RunSummary, SummaryRow, SummaryMetric } from './summarize.js';
export { renderMarkdown } from './render-markdown.js';
export { renderJson } from './render-json.js';
export { renderHtml } from './render-html.js';
export { renderTimelineSvg } from './timeline-svg.js';
export type { ArtifactStore, ArtifactRefs } from './artifact-store.js';
export { FileArtifactStore } from './file-artifact-store.js';
