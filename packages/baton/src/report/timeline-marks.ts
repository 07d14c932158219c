import type { RunRecord, RunRecordEvent } from './run-record.js';

/** One labelled vertical line on the timeline. */
export interface TimelineMark {
  at: number;
  label: string;
  /** 'step': a step began; otherwise the kind of event (gate failed, rollback...). */
  kind: 'step' | RunRecordEvent['kind'];
}

/** Colour of each kind of mark: failures red, rollback orange, human actions purple / green. */
export const MARK_COLORS: Record<TimelineMark['kind'], string> = {
  step: '#555',
  'gate-failed': '#c62828',
  'step-failed': '#c62828',
  'rollback-started': '#e65100',
  'rollback-finished': '#e65100',
  paused: '#6a1b9a',
  promoted: '#2e7d32',
  'abort-requested': '#c62828',
};

/**
 * Everything a timeline marks, in time order: step boundaries (the probe's marks when it ran,
 * else the steps' start times) and the run's events. Shared by the html report and the dashboard.
 */
export function timelineMarks(r: RunRecord): TimelineMark[] {
  const p = r.probe;
  const steps =
    p && p.marks.length > 0
      ? p.marks.map((m) => ({ at: m.at, label: m.label }))
      : r.steps.filter((s) => s.startedAt > 0).map((s) => ({ at: s.startedAt, label: s.id }));
  return [
    ...steps.map((s): TimelineMark => ({ ...s, kind: 'step' })),
    ...(r.events ?? []).map((e): TimelineMark => ({ at: e.at, label: e.label, kind: e.kind })),
  ].sort((a, b) => a.at - b.at);
}

/** Spans during which the run was rolling back: from its first undo to the run's end (or now). */
export function rollbackWindows(r: RunRecord, until: number): Array<{ start: number; end: number; finished: boolean }> {
  const windows: Array<{ start: number; end: number; finished: boolean }> = [];
  let start: number | undefined;
  for (const e of r.events ?? []) {
    if (e.kind === 'rollback-started' && start === undefined) start = e.at;
    if (e.kind === 'rollback-finished' && start !== undefined) {
      windows.push({ start, end: e.at, finished: true });
      start = undefined;
    }
  }
  if (start !== undefined) windows.push({ start, end: until, finished: false });
  return windows;
}
