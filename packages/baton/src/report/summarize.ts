import { formatBytes, formatSeconds } from './format.js';
import type { RunRecord } from './run-record.js';

/** What every report prints when a number was not measured: never a made-up zero. */
export const NOT_MEASURED = 'not measured';

export type SummaryMetric =
  | 'downtime'
  | 'rollout-time'
  | 'run-time'
  | 'failed-requests'
  | 'streams-cut'
  | 'connections-cut'
  | 'data-loss'
  | 'backup-size';

export interface SummaryRow {
  metric: SummaryMetric;
  label: string;
  /** Printed value, or NOT_MEASURED. */
  value: string;
  measured: boolean;
  /** The raw number behind `value` (ms, count, bytes), null when not measured. */
  raw: number | null;
  /** The denominator where the value is "x / y". */
  of?: number;
}

/** A run's result as the seeds report it: Downtime, Rollout time, Failed requests, Streams cut, Data loss, Backup size. */
export interface RunSummary {
  rows: SummaryRow[];
}

function notMeasured(metric: SummaryMetric, label: string): SummaryRow {
  return { metric, label, value: NOT_MEASURED, measured: false, raw: null };
}

/** The seed's table, from measured values only. Pure. */
export function summarize(r: RunRecord): RunSummary {
  const p = r.probe;
  const rows: SummaryRow[] = [];

  rows.push(
    p
      ? {
          metric: 'downtime',
          label: 'Downtime',
          value: `${formatSeconds(p.downtime.totalMs)} (${p.downtime.count} window${p.downtime.count === 1 ? '' : 's'})`,
          measured: true,
          raw: p.downtime.totalMs,
        }
      : notMeasured('downtime', 'Downtime'),
  );

  // Rollout time spans the steps whose kind moves traffic (a trait of the kind, set on the record).
  const rollout = r.steps.filter((s) => s.movesTraffic === true && s.finishedAt !== undefined);
  if (rollout.length > 0) {
    const start = Math.min(...rollout.map((s) => s.startedAt));
    const end = Math.max(...rollout.map((s) => s.finishedAt ?? s.startedAt));
    rows.push({ metric: 'rollout-time', label: 'Rollout time', value: formatSeconds(end - start), measured: true, raw: end - start });
  } else rows.push(notMeasured('rollout-time', 'Rollout time'));

  const runMs = r.finishedAt - r.startedAt;
  rows.push({ metric: 'run-time', label: 'Run time', value: formatSeconds(runMs), measured: true, raw: runMs });

  rows.push(
    p
      ? {
          metric: 'failed-requests',
          label: 'Failed requests',
          value: `${p.requests.failed} / ${p.requests.total}`,
          measured: true,
          raw: p.requests.failed,
          of: p.requests.total,
        }
      : notMeasured('failed-requests', 'Failed requests'),
  );

  rows.push(
    p?.streams
      ? {
          metric: 'streams-cut',
          label: 'Streams cut',
          value: `${p.streams.cut} / ${p.streams.started}`,
          measured: true,
          raw: p.streams.cut,
          of: p.streams.started,
        }
      : notMeasured('streams-cut', 'Streams cut'),
  );

  const live = [p?.sse, p?.websockets].filter((c) => c !== null && c !== undefined);
  if (live.length > 0) {
    const cut = live.reduce((s, c) => s + c.cut, 0);
    const opened = live.reduce((s, c) => s + c.opened, 0);
    const resumed = live.reduce((s, c) => s + c.resumed, 0);
    const lost = live.reduce((s, c) => s + c.messagesLost, 0);
    rows.push({
      metric: 'connections-cut',
      label: 'SSE/WebSocket connections cut',
      value: `${cut} / ${opened} (${resumed} closed gracefully and resumed, ${lost} messages lost)`,
      measured: true,
      raw: cut,
      of: opened,
    });
  } else rows.push(notMeasured('connections-cut', 'SSE/WebSocket connections cut'));

  const w = p?.writes;
  if (w) {
    const acknowledged = w.attempted - w.writeFailed;
    const inconclusive = w.readFailed > 0 ? `, ${w.readFailed} unreadable` : '';
    rows.push({
      metric: 'data-loss',
      label: 'Data loss',
      value: `${w.lost} lost / ${acknowledged} writes${inconclusive}`,
      measured: true,
      raw: w.lost,
      of: acknowledged,
    });
  } else rows.push(notMeasured('data-loss', 'Data loss'));

  const backup = r.backups[0];
  if (backup) {
    const bytes = backup.compressedBytes ?? backup.sizeBytes;
    const how = backup.compressedBytes !== undefined ? `compressed, ${formatBytes(backup.sizeBytes)} raw` : 'uncompressed';
    rows.push({
      metric: 'backup-size',
      label: 'Backup size',
      value: `${formatBytes(bytes)} (${how}${backup.verified ? ', restore verified' : ', NOT verified'})`,
      measured: true,
      raw: bytes,
    });
  } else rows.push(notMeasured('backup-size', 'Backup size'));

  return { rows };
}
