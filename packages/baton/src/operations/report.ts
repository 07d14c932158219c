import type { Journal } from '../engine/journal.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ArtifactStore } from '../report/artifact-store.js';
import type { RunRecord } from '../report/run-record.js';
import { summarize, type RunSummary } from '../report/summarize.js';
import { runRecordFrom } from '../upgrade/run-record.js';
import { latestRunId, readRecordedRun } from './recorded-run.js';

export interface RunReport {
  record: RunRecord;
  summary: RunSummary;
  /**
   * Where the record came from: the artifact store (probe numbers included), the journal joined
   * with a probe record kept apart (the controller's ConfigMap), or the journal alone.
   */
  source: 'artifacts' | 'journal-and-probe' | 'journal';
}

/** A run's probe record kept apart from its journal (the controller stores one per Release). */
export interface ProbeRecordSource {
  load(runId: string): Promise<ProbeRecord | undefined>;
}

/**
 * `report`: a run's record and summary (default: the newest run). The stored record when the
 * artifact store has one (it carries the probe's numbers); else rebuilt from the journal, joined
 * with the probe record `probes` has for the run, the probe otherwise "not measured".
 */
export async function report(
  request: { runId?: string; app?: string },
  ports: { journal: Journal; artifacts?: ArtifactStore; probes?: ProbeRecordSource },
): Promise<RunReport> {
  const runId = request.runId ?? (await latestRunId(ports.journal, request.app ? { app: request.app } : {}));
  const stored = await ports.artifacts?.load(runId);
  if (stored) return { record: stored, summary: summarize(stored), source: 'artifacts' };
  const run = await readRecordedRun(ports.journal, runId);
  const probe = await ports.probes?.load(runId);
  const record = runRecordFrom(await ports.journal.read(runId), run.plan, probe);
  return { record, summary: summarize(record), source: probe ? 'journal-and-probe' : 'journal' };
}
