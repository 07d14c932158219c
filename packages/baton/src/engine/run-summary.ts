import type { JournalEntry, RunSummary } from './journal.js';

/**
 * Folds one journal entry into a run's summary, so stores can keep `listRuns` cheap without
 * reading whole journals. `undefined` until the run's `run-started` entry is seen.
 */
export function foldRunSummary(summary: RunSummary | undefined, entry: JournalEntry): RunSummary | undefined {
  if (entry.type === 'run-started') {
    return {
      runId: entry.runId,
      app: entry.app,
      namespace: entry.namespace,
      status: 'running',
      startedAt: entry.at,
      updatedAt: entry.at,
    };
  }
  if (summary === undefined) return undefined;
  const next: RunSummary = { ...summary, updatedAt: entry.at };
  if (entry.type === 'run-finished') {
    next.status = entry.status;
    if (entry.reason === undefined) delete next.reason;
    else next.reason = entry.reason;
    if (entry.failedStep === undefined) delete next.failedStep;
    else next.failedStep = entry.failedStep;
  } else if (entry.type === 'run-resumed' || entry.type === 'promoted' || entry.type === 'abort-requested') {
    next.status = 'running';
    delete next.reason;
    delete next.failedStep;
  }
  return next;
}

/** Newest first, optionally one app's runs only. */
export function selectRuns(summaries: Iterable<RunSummary>, filter?: { app?: string }): RunSummary[] {
  return [...summaries]
    .filter((summary) => filter?.app === undefined || summary.app === filter.app)
    .sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
}
