/**
 * baton's operations: one use case per verb, taking data and returning data. The CLI, the
 * controller and the dashboard are adapters over this module and import nothing else from baton
 * to act.
 */
export { planRelease, type PlannedRelease } from './plan.js';
export { upgrade, type UpgradeOptions, type UpgradeResult } from './upgrade.js';
export { resume, promote, abort, type AbortResult } from './resume.js';
export { pause, type PauseResult } from './pause.js';
export { retry, retriedStep, type RetryResult, type RetriedStep } from './retry.js';
export { rollback, planRollbackFor, rollbackTargetOf, type RollbackRequest } from './rollback.js';
export { history, type HistoryView, type Revision } from './history.js';
export { status, type RunStatusView, type SplitReading } from './status.js';
export { releases, type ReleasesView } from './releases.js';
export { gc, type GcReport } from './gc.js';
export { report, type RunReport, type ProbeRecordSource } from './report.js';
export { check, type CheckResult } from './check.js';
export { readRecordedRun, latestRunId, type RecordedRun } from './recorded-run.js';
export { budgetVerdict, type BudgetVerdict } from './budget.js';
export type { RunResult } from './run-result.js';
export type { ReleaseInputs, MigrationFile } from './release-inputs.js';
export type { OperationPorts, Clock, ProbeFactory, Environment, ArtifactStore, ArtifactRefs } from './ports.js';
export { systemClock } from './clock.js';
