import type { JournalEntry } from '../engine/journal.js';
import { deriveRunState } from '../engine/run-state.js';
import type { JsonObject } from '../json.js';
import type { Plan } from '../plan/plan.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { stepTrafficOf } from '../report/step-traffic.js';
import { runEventsFrom } from './run-events.js';
import { trafficMovingKinds } from '../strategies/steps/index.js';
import type { RunRecord, RunRecordBackup, RunRecordDrain, RunRecordMigration, RunRecordStep } from '../report/run-record.js';

/**
 * Joins what the journal says baton did with what the probe measured, into the record the
 * reports render. Backups and migrations are read from their steps' result data.
 */
export function runRecordFrom(entries: readonly JournalEntry[], plan: Plan, probe: ProbeRecord | undefined): RunRecord {
  const state = deriveRunState(entries);
  const steps: RunRecordStep[] = state.steps.map((s) => {
    const started = entries.find((e) => e.type === 'step-started' && e.stepId === s.id);
    const finished = [...entries].reverse().find((e) => (e.type === 'step-finished' || e.type === 'step-error') && e.stepId === s.id);
    const step: RunRecordStep = { id: s.id, title: s.title, kind: s.kind, startedAt: started?.at ?? 0, status: 'pending' };
    if (trafficMovingKinds.has(s.kind)) step.movesTraffic = true;
    if (finished) step.finishedAt = finished.at;
    if (state.undone.includes(s.id)) step.status = 'undone';
    else if (s.id in state.completed) step.status = 'done';
    else if (state.paused?.stepId === s.id) step.status = 'paused';
    else if (finished) step.status = 'failed';
    else if (started) step.status = 'running';
    if (finished?.type === 'step-finished') {
      const r = finished.result;
      if (r.kind === 'done' && r.summary) step.summary = r.summary;
      if (r.kind === 'failed') step.reason = r.reason;
      const data = r.kind !== 'paused' ? r.data : undefined;
      const traffic = stepTrafficOf(data);
      if (traffic) step.traffic = traffic;
      if (r.kind === 'done' && typeof data?.skipped === 'string') step.status = 'skipped';
      const output = [data?.stdout, data?.stderr].filter((x): x is string => typeof x === 'string' && x.length > 0).join('\n');
      if (output) step.output = output;
    } else if (finished?.type === 'step-error') step.reason = finished.error;
    return step;
  });
  const drains: RunRecordDrain[] = [];
  for (const e of entries) {
    // Drains are reported whether they ended done or failed: the deadline and what it cut matter either way.
    if (e.type !== 'step-finished' || e.result.kind === 'paused') continue;
    const drain = e.result.data?.drain;
    if (drain && typeof drain === 'object' && !Array.isArray(drain)) drains.push(drain as unknown as RunRecordDrain);
  }
  const backups: RunRecordBackup[] = [];
  const migrations: RunRecordMigration[] = [];
  for (const s of state.steps) {
    const data = state.completed[s.id];
    if (!data) continue;
    if (s.kind === 'backup' || s.kind === 'exec-backup') backups.push(backupOf(data, s.params, entries, s.id));
    if (s.kind === 'migrate' || s.kind === 'backfill') {
      for (const m of (data.applied ?? []) as JsonObject[]) {
        migrations.push({
          version: String(m.version),
          phase: String(m.phase ?? s.params.phase ?? ''),
          status: state.undone.includes(s.id) ? 'reverted' : 'applied',
          durationMs: Number(m.durationMs ?? 0),
        });
      }
    }
  }
  const finished = [...entries].reverse().find((e) => e.type === 'run-finished');
  const record: RunRecord = {
    runId: state.runId,
    app: state.app,
    namespace: state.namespace,
    strategy: plan.strategy,
    fromVersion: plan.from?.version ?? '(none)',
    toVersion: plan.to.version,
    status: state.status === 'running' ? 'running' : state.status,
    startedAt: state.startedAt,
    finishedAt: finished?.at ?? state.updatedAt,
    steps,
    backups,
    migrations,
    drift: plan.drift.map((d) => ({
      resource: d.resource,
      field: d.field,
      manifest: JSON.stringify(d.manifest) ?? '(unset)',
      cluster: JSON.stringify(d.cluster) ?? '(unset)',
    })),
    events: runEventsFrom(entries),
  };
  if (state.reason) record.reason = state.reason;
  if (probe) record.probe = probe;
  if (drains.length > 0) record.drains = drains;
  return record;
}

/** The backup step's data: fileBytes on disk (compressed), sourceBytes uncompressed. */
function backupOf(data: JsonObject, params: JsonObject, entries: readonly JournalEntry[], stepId: string): RunRecordBackup {
  const method = params.method as { kind?: string; argv?: string[] } | undefined;
  const finished = entries.find((e) => e.type === 'step-finished' && e.stepId === stepId);
  const summary = finished?.type === 'step-finished' && finished.result.kind === 'done' ? (finished.result.summary ?? '') : '';
  const backup: RunRecordBackup = {
    method: method?.kind === 'command' ? `command: ${(method.argv ?? []).join(' ')}` : String(data.format ?? 'native'),
    sizeBytes: Number(data.sourceBytes ?? data.fileBytes ?? 0),
    verified: data.verified === true,
    detail: summary,
  };
  if (typeof data.path === 'string') backup.path = data.path;
  if (typeof data.fileBytes === 'number') backup.compressedBytes = data.fileBytes;
  return backup;
}
