import type { RunRecord } from './run-record.js';
import type { StepTraffic } from './step-traffic.js';

/** One row of "traffic judged per step": printed text, one cell per column. */
export interface TrafficRow {
  step: string;
  /** "34%", "route x-beta: yes", or "switch" (a switch or rollout: the new version should take all). */
  weightSet: string;
  /** "33.8% (v2)", or "—" when nothing answered. */
  shareMeasured: string;
  /** New-version answers judged, with its failures: "412 (3 failed, 0.73%)". */
  answersJudged: string;
  p99: string;
  /** How long after the change the judged window began, and how that was measured. */
  windowStart: string;
}

export const TRAFFIC_HEAD = ['Step', 'Weight set', 'Share measured', 'Answers judged', 'p99', 'Window start'];

/** Per gate step over live traffic: weight set / share measured / answers judged. Pure. */
export function trafficRows(r: RunRecord): TrafficRow[] {
  const rows: TrafficRow[] = [];
  for (const s of r.steps) {
    const t = s.traffic;
    if (!t) continue;
    const set =
      t.route !== null
        ? `route ${t.route} (${t.expectedShare ?? 100}% expected)`
        : t.weightSet !== null
          ? `${t.weightSet}%`
          : `switch (${t.expectedShare ?? 100}% expected)`;
    const versions = t.newVersions.length > 0 ? t.newVersions.join('+') : 'new version';
    rows.push({
      step: s.id,
      weightSet: set,
      shareMeasured:
        t.measuredShare === null
          ? '—'
          : `${t.measuredShare}% ${versions} of ${t.requests} requests${t.segment === 'routed' ? ' (routed)' : ''}`,
      answersJudged: `${t.answersJudged} (${t.failedJudged} failed${t.errorRate === null ? '' : `, ${(t.errorRate * 100).toFixed(2)}%`})`,
      p99: t.p99Ms === null ? '—' : `${t.p99Ms} ms`,
      windowStart:
        t.settledAt === null ? `not reached: ${t.settle}` : `+${((t.settledAt - t.changedAt) / 1000).toFixed(2)} s (${t.settle})`,
    });
  }
  return rows;
}

/** Gate steps skipped because there was nothing they could judge, with why. */
export function skippedGates(r: RunRecord): Array<{ step: string; reason: string }> {
  return r.steps.filter((s) => s.status === 'skipped').map((s) => ({ step: s.id, reason: s.summary ?? 'skipped' }));
}

/** One line for `baton status`: "weight 34% / measured 33.2% v2 / 412 answers judged (0 failed)". */
export function describeStepTraffic(t: StepTraffic): string {
  const set =
    t.route !== null ? `route ${t.route}` : t.weightSet !== null ? `weight ${t.weightSet}%` : `expected ${t.expectedShare ?? 100}%`;
  const measured = t.measuredShare === null ? 'measured —' : `measured ${t.measuredShare}% ${t.newVersions.join('+') || 'new version'}`;
  const start = t.settledAt === null ? `; waiting: ${t.settle}` : '';
  return `${set} / ${measured} / ${t.answersJudged} answers judged (${t.failedJudged} failed)${start}`;
}
