import type { Severity } from '../finding.js';
import { findLiveTable } from './find-live-table.js';
import type { LiveContext } from './live-context.js';
import { describeSize, liveFigures, type LiveFigures } from './table-size.js';

/** A hit after the live table's size was weighed. */
export interface SizedHit {
  severity: Severity;
  message: string;
  live?: LiveFigures;
}

/**
 * Weighs a hit of a rule whose cost grows with the table (a rewrite, a scan or an index build
 * under lock) by the live table's measured size. A small table gets `smallSeverity` and the
 * figures in the message, since the lock is held for milliseconds; a big one keeps its severity
 * and says how big. A table not in the live schema (created by an earlier pending migration, or
 * in another schema) is left as the rule said: there is nothing measured to judge it by.
 */
export function judgeBySize(
  hit: { severity: Severity; message: string; table: string },
  smallSeverity: Severity,
  live: LiveContext,
): SizedHit {
  const { table } = findLiveTable(live.schema, hit.table);
  if (table === undefined) return { severity: hit.severity, message: hit.message };
  const figures = liveFigures(table, live.smallTable);
  const size = describeSize(figures);
  if (figures.small) {
    return {
      severity: milder(hit.severity, smallSeverity),
      message: `${hit.message}; but live, table ${table.name} has ${size}: the lock is held for milliseconds`,
      live: figures,
    };
  }
  return { severity: hit.severity, message: `${hit.message} (live: table ${table.name} has ${size})`, live: figures };
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function milder(a: Severity, b: Severity): Severity {
  return rank[a] <= rank[b] ? a : b;
}
