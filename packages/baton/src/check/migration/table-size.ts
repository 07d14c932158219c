import type { LiveTable } from '../../db/schema/live-schema.js';
import type { SmallTableThresholds } from './live-context.js';

/** The live figures a finding was judged by; the json output carries them. */
export interface LiveFigures {
  table: string;
  rowEstimate: number;
  totalBytes: number;
  /** Whether the thresholds counted the table small. */
  small: boolean;
}

export function liveFigures(table: LiveTable, thresholds: SmallTableThresholds): LiveFigures {
  return {
    table: table.name,
    rowEstimate: table.rowEstimate,
    totalBytes: table.totalBytes,
    small: table.rowEstimate <= thresholds.rows && table.totalBytes <= thresholds.bytes,
  };
}

/** "~12 rows, 16 kB", "~48 M rows, 11 GB": estimates, so rounded. */
export function describeSize(figures: Pick<LiveFigures, 'rowEstimate' | 'totalBytes'>): string {
  return `~${rows(figures.rowEstimate)} ${figures.rowEstimate === 1 ? 'row' : 'rows'}, ${bytes(figures.totalBytes)}`;
}

function rows(n: number): string {
  const r = Math.round(n);
  if (r < 1000) return String(r);
  if (r < 1_000_000) return `${round(r / 1000)} k`;
  if (r < 1_000_000_000) return `${round(r / 1_000_000)} M`;
  return `${round(r / 1_000_000_000)} G`;
}

function bytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? String(value) : round(value)} ${units[unit]}`;
}

/** One decimal below 10 (1.5 GB), whole numbers above (48 M). */
function round(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}
