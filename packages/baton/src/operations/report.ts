import type { Journal } from '../engine/journal.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ArtifactStore } from '../report/artifact-store.js';
import type { RunRecord } from '../report/run-record.js';
import { summarize, type RunSummary } from '../report/summarize.js';
import { runRecordFrom } from '../upgrade/run-record.js';
import { deriveRunState } from '../engine/run-state.js';
import type { RunLock } from '../engine/run-lock.js';
import { joinProbeRecords } from '../probe/probe-segments.js';
import { earlierSegments } from './probed-run.js';
import { latestRunId, readRecordedRun } from './recorded-run.js';
import { interruption } from './status.js';

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
 * with the probe record `probes` has for the run or the segments the store checkpointed, the
 * probe otherwise "not measured". A run interrupted (its lock held by no live process) is
 * labelled so, with the command that continues it. A run that ended with no record kept has it
 * kept now.
 */
export async function report(
  request: { runId?: string; app?: string },
  ports: { journal: Journal; artifacts?: ArtifactStore; probes?: ProbeRecordSource; lock?: Pick<RunLock, 'inspect'> },
): Promise<RunReport> {
  const runId = request.runId ?? (await latestRunId(ports.journal, request.app ? { app: request.app } : {}));
  const stored = await ports.artifacts?.load(runId);
  const entries = await ports.journal.read(runId);
  // A stored record is current unless the run went on after it was saved (paused, then resumed
  // and killed): then the journal tells the rest.
  if (stored && (entries.length === 0 || deriveRunState(entries).status === stored.status))
    return { record: stored, summary: summarize(stored), source: 'artifacts' };
  const run = await readRecordedRun(ports.journal, runId);
  // An interrupted run's probe: the segments its processes checkpointed while they ran.
  const probe =
    (await ports.probes?.load(runId)) ??
    joinProbeRecords(ports.artifacts ? await earlierSegments(runId, { artifacts: ports.artifacts }) : []);
  const record = runRecordFrom(entries, run.plan, probe);
  const interrupted = ports.lock ? await interruption(run.state, ports.lock) : undefined;
  if (interrupted) record.interrupted = interrupted;
  // A run that ended without its record kept (its process was killed between the journal's last
  // entry and the report): keep it now, so every run that ended has its report files.
  const ended = run.state.status !== 'running' && run.state.status !== 'paused';
  if (ended && !stored) await ports.artifacts?.save(record);
  return { record, summary: summarize(record), source: probe ? 'journal-and-probe' : 'journal' };
}
