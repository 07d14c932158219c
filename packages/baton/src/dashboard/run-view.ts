import type { JournalEntry } from '../engine/journal.js';
import type { RunState } from '../engine/run-state.js';
import { isFinalStatus, type RunStatus } from '../engine/run-status.js';
import type { JsonValue } from '../json.js';
import type { Plan } from '../plan/plan.js';
import type { ProbeStats } from '../engine/step.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { RunRecord, RunRecordStep } from '../report/run-record.js';
import type { TrafficSplit } from '../traffic/traffic-router.js';
import { runRecordFrom } from '../upgrade/run-record.js';
import { runActions } from './action-text.js';
import type { ActionView } from './dashboard-backend.js';
import { redact } from './redact.js';

export interface StepView {
  id: string;
  title: string;
  kind: string;
  /** False: completing this step is the point of no return. */
  reversible: boolean;
  status: RunRecordStep['status'] | 'undoing';
  durationMs?: number;
  /** The step's summary, failure reason or pause reason. */
  detail?: string;
  /** set-weight steps: the share of traffic this step gives the new version. */
  weight?: number;
}

export interface GateView {
  stepId: string;
  title: string;
  verdict: 'pass' | 'fail' | 'evaluating' | 'pending' | 'inconclusive';
  /** The numbers behind the verdict: passes of evaluations, or the failure's figures. */
  detail: string;
}

/** The traffic split: what the router was told (read back from the cluster) and what the probe saw. */
export interface TrafficView {
  /** null when the run has no traffic router (rolling, blue-green...). */
  set: (TrafficSplit & { router: string }) | { router: string; error: string } | null;
  /** Answers per version over the probe's last seconds; null when no probe data exists. */
  measured: {
    byVersion: Record<string, number>;
    fromMs: number;
    toMs: number;
    /** What the window is: since a weight was set (and which), or the probe's last seconds. */
    basis: { kind: 'since-weight'; weight: number; stepId: string } | { kind: 'last-seconds' };
  } | null;
}

/** What this dashboard is doing to the run right now, or the last thing it failed to do. */
export interface ActivityView {
  kind: string;
  state: 'running' | 'failed' | 'finished';
  message: string;
  at: number;
}

/** One run, as the run page shows it. Redacted: no Secret value ever reaches the page. */
export interface RunView {
  runId: string;
  app: string;
  namespace: string;
  status: RunStatus;
  reason?: string;
  strategy: string;
  fromVersion: string;
  toVersion: string;
  startedAt: number;
  updatedAt: number;
  current?: { stepId: string; title: string; doing: 'running' | 'undoing' | 'paused' };
  steps: StepView[];
  gates: GateView[];
  traffic: TrafficView;
  pointOfNoReturn: { stepId: string; title: string; passed: boolean } | null;
  actions: ActionView[];
  /** The record the report renders (steps, probe, drift, backups, events), built live from the journal. */
  record: RunRecord;
  activity?: ActivityView;
  /** Live totals of the probe this dashboard runs for the run (while it promotes it), refreshed on every engine event. */
  liveProbe?: ProbeStats;
  /** Who runs that probe: this dashboard (since the promotion began) or the controller (since the run began). */
  liveProbeBy?: 'dashboard' | 'controller';
}

/**
 * The measured split: answers per version since `sinceMs` (when the last weight was set), or in
 * the last `windowMs` of buckets that had answers when no weight was set during the probe.
 */
export function measuredSplit(
  probe: ProbeRecord | undefined,
  since?: { at: number; weight: number; stepId: string },
  windowMs = 3000,
): TrafficView['measured'] {
  if (!probe) return null;
  const answered = probe.buckets.filter((b) => b.requests > 0);
  const last = answered.at(-1);
  if (!last) return null;
  const end = last.t + probe.config.bucketMs;
  // A bucket counts when it starts after the weight was set: the split it saw is that weight's.
  const useSince = since !== undefined && since.at > probe.startedAt && since.at - probe.startedAt < end;
  const from = useSince ? since.at - probe.startedAt : end - windowMs;
  const byVersion: Record<string, number> = {};
  for (const b of answered) {
    if (b.t < from) continue;
    for (const [v, count] of Object.entries(b.byVersion)) byVersion[v] = (byVersion[v] ?? 0) + count;
  }
  return {
    byVersion,
    fromMs: probe.startedAt + Math.max(0, from),
    toMs: probe.startedAt + end,
    basis: useSince ? { kind: 'since-weight', weight: since.weight, stepId: since.stepId } : { kind: 'last-seconds' },
  };
}

export interface RunViewInput {
  entries: readonly JournalEntry[];
  state: RunState;
  /** The probe's record, when a probe measured this run (saved at the run's last stop). */
  probe: ProbeRecord | undefined;
  traffic: TrafficView['set'];
  /** The run is being driven by a process holding its lock (this dashboard or another). */
  live: boolean;
  activity?: ActivityView;
  /** Totals of a probe this process runs for the run right now (a promotion's analysis). */
  liveProbe?: ProbeStats;
  /** Default 'dashboard'. */
  liveProbeBy?: 'dashboard' | 'controller';
}

/** Builds the run page's data from the journal, the probe record and the router's reading. Pure. */
export function buildRunView(i: RunViewInput): RunView {
  const { state } = i;
  const plan = planOf(i.state);
  const record = runRecordFrom(i.entries, plan, i.probe);
  const steps: StepView[] = record.steps.map((s) => {
    const planned = state.steps.find((p) => p.id === s.id);
    const final = isFinalStatus(state.status);
    // A pause nobody approved before the run ended was skipped, not "paused" forever.
    const status: StepView['status'] = state.undoInFlight === s.id ? 'undoing' : final && s.status === 'paused' ? 'skipped' : s.status;
    const view: StepView = { id: s.id, title: s.title, kind: s.kind, reversible: planned?.reversible ?? true, status };
    if (s.finishedAt !== undefined && s.startedAt > 0) view.durationMs = s.finishedAt - s.startedAt;
    const detail =
      status === 'skipped'
        ? `not approved: the run ended ${state.status}`
        : (s.reason ?? s.summary ?? (state.paused?.stepId === s.id ? state.paused.reason : undefined));
    if (detail) view.detail = detail;
    const weight = planned?.params.weight;
    if (planned?.kind === 'set-weight' && typeof weight === 'number') view.weight = weight;
    return view;
  });
  const gates: GateView[] = state.steps
    .filter((s) => s.kind === 'gate')
    .map((s) => {
      const done = state.completed[s.id] as { passes?: number; evaluations?: number; failures?: number } | undefined;
      const step = record.steps.find((r) => r.id === s.id);
      if (done)
        return {
          stepId: s.id,
          title: s.title,
          verdict: 'pass',
          detail: `passed ${done.passes ?? '?'} of ${done.evaluations ?? '?'} evaluations${done.failures ? `, ${done.failures} failed` : ''}`,
        };
      if (state.failure?.stepId === s.id || step?.status === 'failed' || (step?.status === 'undone' && step.reason))
        return { stepId: s.id, title: s.title, verdict: 'fail', detail: step?.reason ?? state.failure?.reason ?? 'failed' };
      if (state.paused?.stepId === s.id) return { stepId: s.id, title: s.title, verdict: 'inconclusive', detail: state.paused.reason };
      if (state.inFlight === s.id) return { stepId: s.id, title: s.title, verdict: 'evaluating', detail: 'judging live traffic' };
      return { stepId: s.id, title: s.title, verdict: 'pending', detail: 'not evaluated yet' };
    });
  const currentId = state.undoInFlight ?? state.inFlight ?? state.paused?.stepId;
  const currentStep = state.steps.find((s) => s.id === currentId);
  const ponrStep = state.steps.find((s) => s.id === state.pointOfNoReturn) ?? state.steps.find((s) => !s.reversible);
  const view: RunView = {
    runId: state.runId,
    app: state.app,
    namespace: state.namespace,
    status: state.status,
    strategy: record.strategy,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    steps,
    gates,
    traffic: { set: i.traffic, measured: measuredSplit(i.probe, lastWeightSet(record, state)) },
    pointOfNoReturn: ponrStep ? { stepId: ponrStep.id, title: ponrStep.title, passed: state.pointOfNoReturn !== undefined } : null,
    actions: runActions(state, i.live),
    record: redact(record as unknown as JsonValue) as unknown as RunRecord,
  };
  if (state.reason) view.reason = state.reason;
  if (currentStep && !isFinalStatus(state.status))
    view.current = {
      stepId: currentStep.id,
      title: currentStep.title,
      doing: state.undoInFlight ? 'undoing' : state.paused && !state.inFlight ? 'paused' : 'running',
    };
  if (i.activity) view.activity = i.activity;
  if (i.liveProbe) {
    view.liveProbe = i.liveProbe;
    view.liveProbeBy = i.liveProbeBy ?? 'dashboard';
  }
  return redact(view as unknown as JsonValue) as unknown as RunView;
}

/** The last set-weight step the run completed (undone later or not): when, and which weight. */
function lastWeightSet(record: RunRecord, state: RunState): { at: number; weight: number; stepId: string } | undefined {
  const done = record.steps.filter(
    (s) => s.kind === 'set-weight' && (s.status === 'done' || s.status === 'undone') && s.finishedAt !== undefined,
  );
  const last = done.at(-1);
  const weight = state.steps.find((s) => s.id === last?.id)?.params.weight;
  return last?.finishedAt !== undefined && typeof weight === 'number' ? { at: last.finishedAt, weight, stepId: last.id } : undefined;
}

/** The plan the run was started with (journaled in its meta), or a minimal one from its steps. */
function planOf(state: RunState): Plan {
  const meta = state.meta.plan as unknown as Plan | undefined;
  if (meta && Array.isArray(meta.steps) && meta.to) return meta;
  return {
    app: state.app,
    namespace: state.namespace,
    strategy: 'unknown',
    from: null,
    to: { version: '?', image: '?' },
    steps: state.steps,
    drift: [],
    warnings: [],
  };
}
