import { percentileOfSorted, round } from './percentile.js';
import type { SampleColumns } from './sample-columns.js';

/** Which answers are the new version's: by the version header the probe reads. */
export interface NewVersionMatch {
  /** The new release's label: when some answer carries it, only it is the new version. */
  label?: string | undefined;
  /** Otherwise every label but these (the releases that served before) is the new version. */
  previous?: readonly string[] | undefined;
}

/** Which of the probe's requests a window looks at. */
export type WindowSegment = 'all' | 'routed' | 'unrouted';

export interface VersionWindowQuery {
  /** Names the window in the probe's record (the gate step id). */
  label?: string;
  /** When the traffic change was made (epoch ms): the window never starts before. */
  changedAt: number;
  newVersion: NewVersionMatch;
  /**
   * The share (0..100) of the segment's answers the change should give the new version, e.g. the
   * weight set. The window starts once the measured share is within tolerance of it: the change
   * has propagated. Null: no expectation, the window starts at the first new-version answer.
   */
  expectedShare: number | null;
  /** Points of share the measurement may differ from `expectedShare`. Default 5. */
  tolerance?: number;
  /** Answers in the sliding window that decides propagation. Default 100. */
  settleAnswers?: number;
  segment?: WindowSegment;
}

/** What one version answered in a window. */
export interface VersionFigures {
  answers: number;
  /** Answers with a failing status. */
  failed: number;
  p99Ms: number | null;
}

/**
 * A measured window: when the traffic change showed, the share the new version took, and every
 * version's answers from then on. Failures with no version (refused, reset, timeout, or an answer
 * without the version header) cannot be told apart, so they are kept apart: a judge of the new
 * version counts them against it, which can fail a good release but never pass a bad one.
 */
export interface VersionWindow {
  label?: string;
  segment: WindowSegment;
  changedAt: number;
  expectedShare: number | null;
  tolerance: number;
  /** When the window started (the change measured as propagated), or null: not yet. */
  settledAt: number | null;
  /** How the start was measured, or why there is none yet. */
  settle: string;
  /** The label(s) taken as the new version, [] when none answered. */
  newVersions: string[];
  /** From `settledAt` (or from `changedAt` while unsettled): requests sent in the segment. */
  requests: number;
  byVersion: Record<string, VersionFigures>;
  unattributedFailures: number;
  /** The new version's share of the answers, in percent; null with no answer. */
  measuredShare: number | null;
  /** The new version's own figures (its answers plus the unattributed failures). */
  newVersion: { answers: number; failed: number; errorRate: number | null; p99Ms: number | null };
  /** Downloads cut in the window: by the new version (or by no known version), by the others. Null: none watched. */
  streamsCut: { newVersion: number; others: number } | null;
}

interface Row {
  sentAt: number;
  latency: number;
  version: string | null;
  answered: boolean;
  failed: boolean;
}

/**
 * Measures a version window over the probe's samples. Pure over the samples it is given; rows
 * are taken in send order (samples are stored in completion order).
 */
export function measureVersionWindow(samples: SampleColumns, q: VersionWindowQuery): VersionWindow {
  const segment = q.segment ?? 'all';
  const tolerance = q.tolerance ?? 5;
  const k = Math.max(1, q.settleAnswers ?? 100);
  const rows: Row[] = [];
  for (let i = samples.firstRowSince(q.changedAt); i < samples.length; i++) {
    const sentAt = samples.sentAt(i);
    if (sentAt < q.changedAt) continue;
    if (segment === 'routed' && !samples.routed(i)) continue;
    if (segment === 'unrouted' && samples.routed(i)) continue;
    const status = samples.status(i);
    const version = status === null ? null : samples.version(i);
    rows.push({
      sentAt,
      latency: samples.doneAt(i) - sentAt,
      version,
      answered: status !== null && version !== null,
      failed: !samples.ok(i),
    });
  }
  rows.sort((a, b) => a.sentAt - b.sentAt);
  const newVersions = identify(rows, q.newVersion);
  const isNew = (v: string | null): boolean => v !== null && newVersions.includes(v);

  // Propagation: the first run of k answers whose new-version share is within tolerance of the
  // expectation (widened by the sampling noise of k answers, three standard deviations), with at
  // least one new-version answer when any is expected. The window starts after that run, so the
  // answers that decided the start are not also the ones judged.
  let settledAt: number | null = null;
  let settle: string;
  const answered = rows.filter((r) => r.answered);
  const firstNew = answered.findIndex((r) => isNew(r.version));
  if (q.expectedShare === null) {
    const first = answered[firstNew];
    settledAt = first ? first.sentAt : null;
    settle = first ? 'first answer from the new version' : 'no answer from the new version yet';
  } else {
    const p = Math.min(1, Math.max(0, q.expectedShare / 100));
    const band = Math.max(tolerance, 300 * Math.sqrt((p * (1 - p)) / k));
    let inWindow = 0;
    let lastShare: number | null = null;
    settle = `fewer than ${k} answers since the change`;
    for (let i = 0; i < answered.length; i++) {
      if (isNew(answered[i]!.version)) inWindow += 1;
      if (i >= k && isNew(answered[i - k]!.version)) inWindow -= 1;
      if (i < k - 1) continue;
      lastShare = (inWindow / k) * 100;
      const seenNew = q.expectedShare === 0 || (firstNew >= 0 && firstNew <= i);
      if (seenNew && Math.abs(lastShare - q.expectedShare) <= band) {
        const next = answered[i + 1];
        settledAt = next ? next.sentAt : answered[i]!.sentAt + 1;
        settle = `measured share ${round(lastShare)}% within ${round(band)} points of ${q.expectedShare}% over ${k} answers`;
        break;
      }
    }
    if (settledAt === null && lastShare !== null) {
      settle = `measured share ${round(lastShare)}% over the last ${k} answers, not yet within ${round(band)} points of ${q.expectedShare}%`;
    }
  }

  const from = settledAt ?? q.changedAt;
  const judged = rows.filter((r) => r.sentAt >= from);
  const byVersion: Record<string, VersionFigures> = {};
  const latencies: Record<string, number[]> = {};
  let unattributedFailures = 0;
  for (const r of judged) {
    if (!r.answered) {
      if (r.failed) unattributedFailures += 1;
      continue;
    }
    const v = r.version!;
    const f = (byVersion[v] ??= { answers: 0, failed: 0, p99Ms: null });
    f.answers += 1;
    if (r.failed) f.failed += 1;
    (latencies[v] ??= []).push(r.latency);
  }
  for (const [v, l] of Object.entries(latencies))
    byVersion[v]!.p99Ms = percentileOfSorted(
      l.sort((a, b) => a - b),
      0.99,
    );
  const answers = Object.values(byVersion).reduce((s, f) => s + f.answers, 0);
  const newAnswers = newVersions.reduce((s, v) => s + (byVersion[v]?.answers ?? 0), 0);
  const newFailed = newVersions.reduce((s, v) => s + (byVersion[v]?.failed ?? 0), 0) + unattributedFailures;
  const newLatencies = newVersions.flatMap((v) => latencies[v] ?? []).sort((a, b) => a - b);
  const newTotal = newAnswers + unattributedFailures;
  return {
    ...(q.label !== undefined ? { label: q.label } : {}),
    segment,
    changedAt: q.changedAt,
    expectedShare: q.expectedShare,
    tolerance,
    settledAt,
    settle,
    newVersions,
    requests: judged.length,
    byVersion,
    unattributedFailures,
    measuredShare: answers === 0 ? null : round((newAnswers / answers) * 100),
    newVersion: {
      answers: newAnswers,
      failed: newFailed,
      errorRate: newTotal === 0 ? null : newFailed / newTotal,
      p99Ms: percentileOfSorted(newLatencies, 0.99),
    },
    streamsCut: null,
  };
}

/** The new version's label(s) among the answers: the named label if it answered, else the unknown ones. */
function identify(rows: readonly Row[], match: NewVersionMatch): string[] {
  const seen = new Set<string>();
  for (const r of rows) if (r.version !== null) seen.add(r.version);
  if (match.label !== undefined && seen.has(match.label)) return [match.label];
  if (match.previous === undefined || match.previous.length === 0) return [];
  const previous = new Set(match.previous);
  return [...seen].filter((v) => !previous.has(v)).sort();
}
