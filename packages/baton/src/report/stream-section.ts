import type { ProbeRecord } from '../probe/probe-record.js';
import type { RunRecord, RunRecordDrain } from './run-record.js';

/** One line of the stream section: one kind of stream, one version of the pod that served it. */
export interface StreamRow {
  kind: 'download' | 'sse' | 'websocket';
  version: string;
  /** Downloads that finished; for SSE/WebSocket, connections still open or ended by the probe are not counted. */
  completed: number;
  /** SSE/WebSocket closed gracefully by that version and resumed by the client. */
  resumed: number;
  gapP50Ms: number | null;
  gapP99Ms: number | null;
  gapMaxMs: number | null;
  /** Ended abruptly (RST, EOF mid-body, no close frame). */
  cut: number;
  lost: number;
  duplicated: number;
}

/** The stream section's rows: completed / resumed (gap p50, p99, max) / cut, per kind and version. Pure. */
export function streamRows(p: ProbeRecord): StreamRow[] {
  const rows: StreamRow[] = [];
  for (const [version, v] of Object.entries(p.streams?.byVersion ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push({
      kind: 'download',
      version,
      completed: v.completed,
      resumed: 0,
      gapP50Ms: null,
      gapP99Ms: null,
      gapMaxMs: null,
      cut: v.cut,
      lost: 0,
      duplicated: 0,
    });
  }
  for (const [kind, c] of [
    ['sse', p.sse],
    ['websocket', p.websockets],
  ] as const) {
    for (const [version, v] of Object.entries(c?.byVersion ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      rows.push({
        kind,
        version,
        completed: 0,
        resumed: v.resumed,
        gapP50Ms: v.resumeGapMs?.p50Ms ?? null,
        gapP99Ms: v.resumeGapMs?.p99Ms ?? null,
        gapMaxMs: v.resumeGapMs?.maxMs ?? null,
        cut: v.cut,
        lost: v.messagesLost,
        duplicated: v.messagesDuplicated,
      });
    }
  }
  return rows;
}

const KIND_LABEL: Record<StreamRow['kind'], string> = { download: 'Download', sse: 'SSE', websocket: 'WebSocket' };

/** Table cells for a stream row (shared by markdown and HTML). */
export function streamCells(row: StreamRow): string[] {
  const ms = (v: number | null): string => (v === null ? '—' : `${Math.round(v)} ms`);
  const live = row.kind !== 'download';
  return [
    KIND_LABEL[row.kind],
    row.version,
    live ? '—' : String(row.completed),
    live ? String(row.resumed) : '—',
    live ? `${ms(row.gapP50Ms)} / ${ms(row.gapP99Ms)} / ${ms(row.gapMaxMs)}` : '—',
    String(row.cut),
    live ? `${row.lost} / ${row.duplicated}` : '—',
  ];
}

export const STREAM_HEAD = ['Stream', 'Served by', 'Completed', 'Resumed', 'Gap p50 / p99 / max', 'Cut abruptly', 'Lost / duplicated'];

export const DRAIN_HEAD = ['Drain', 'Pod', 'Version', 'Connections at start', 'Drained after', 'Cut at deadline'];

/** One row per pod baton drained by evidence, with the deadline and what it cut there. */
export function drainCells(drains: readonly RunRecordDrain[]): string[][] {
  return drains.flatMap((d) =>
    d.pods.map((pod) => [
      `${d.stepId} (deadline ${d.deadlineSeconds} s, ${d.source})`,
      pod.pod,
      pod.version ?? '—',
      pod.connectionsAtStart === null ? 'not measured' : String(pod.connectionsAtStart),
      pod.drainedAfterMs === null ? 'deadline' : `${(pod.drainedAfterMs / 1000).toFixed(1)} s`,
      pod.cutAtDeadline === null ? (d.source === 'deadline-only' ? 'not measured' : '0') : String(pod.cutAtDeadline),
    ]),
  );
}

/** The record's drains (empty when none ran). */
export function drainsOf(r: RunRecord): readonly RunRecordDrain[] {
  return r.drains ?? [];
}
