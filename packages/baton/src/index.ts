// @baton/baton's designed surface. Front ends (the CLI, the controller, the dashboard, anyone
// embedding baton) call the operations; the spec and report types come along. Everything else is
// internal and may change without notice: there is deliberately no "./*" export.
export * from './operations/index.js';
export type { BatonSpec, ProbeSpec } from './spec/index.js';
export type { RunRecord, RunSummary, SummaryRow } from './report/index.js';
export type { RunOutcome, RunStatus, EngineEvent } from './engine/engine.js';
export { BatonError, isBatonError } from './errors.js';
