import type { RunOutcome } from '../engine/run-outcome.js';
import type { Journal } from '../engine/journal.js';
import type { Plan } from '../plan/plan.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ArtifactRefs, ArtifactStore } from '../report/artifact-store.js';
import type { RunRecord } from '../report/run-record.js';
import { summarize, type RunSummary } from '../report/summarize.js';
import type { ProbeSpec } from '../spec/schema.js';
import { runRecordFrom } from '../upgrade/run-record.js';
import { budgetVerdict, type BudgetVerdict } from './budget.js';

/** How a run call ended, as data every front end formats its own way. */
export interface RunResult {
  outcome: RunOutcome;
  /** The journal and the probe joined: what the reports render. */
  record: RunRecord;
  summary: RunSummary;
  /** What the probe measured during this call (also in `record.probe`); undefined when none ran. */
  probe: ProbeRecord | undefined;
  /** Absent when no probe ran. */
  budget?: BudgetVerdict;
  /** Where the artifact store kept the record, if one was given. */
  artifacts?: ArtifactRefs;
  /** False when the run did not succeed or exceeded the probe budget. */
  ok: boolean;
  /** What a human runs next (halted / paused runs), from engine/reasons.ts. */
  next: string[];
}

/** Reads the run's journal, joins the probe record, judges the budget, keeps the artifacts. */
export async function finishRun(o: {
  journal: Journal;
  artifacts?: ArtifactStore;
  outcome: RunOutcome;
  plan: Plan;
  probe: ProbeRecord | undefined;
  budget: ProbeSpec['budget'] | undefined;
}): Promise<RunResult> {
  const record = runRecordFrom(await o.journal.read(o.outcome.runId), o.plan, o.probe);
  const budget = o.budget ? budgetVerdict(o.budget, o.probe) : undefined;
  const artifacts = o.artifacts ? await o.artifacts.save(record) : undefined;
  return {
    outcome: o.outcome,
    record,
    summary: summarize(record),
    probe: o.probe,
    ...(budget ? { budget } : {}),
    ...(artifacts ? { artifacts } : {}),
    ok: o.outcome.status === 'succeeded' && !budget?.exceeded,
    next: o.outcome.next ?? [],
  };
}
