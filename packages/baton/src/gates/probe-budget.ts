import { z } from 'zod';
import type { JsonObject } from '../json.js';
import type { ProbeReader, ProbeStats, RunContext } from '../engine/step.js';
import type { VersionWindow, WindowSegment } from '../probe/version-window.js';
import type { StepTraffic } from '../report/step-traffic.js';
import type { Gate, GateVerdict } from './gate.js';
import { parseGateConfig } from './gate-factory.js';
import type { GateEnv } from './gate-factory.js';

const route = z.union([
  z.object({ kind: z.literal('header'), name: z.string().min(1), value: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('cookie'), name: z.string().min(1) }).strict(),
]);

const probeGateConfig = z
  .object({
    kind: z.literal('probe'),
    /** Failed / judged requests allowed (0..1). Default 0: baton's promise is no dropped request. */
    maxErrorRate: z.number().min(0).max(1).default(0),
    /** p99 latency budget; unset: latency is not judged. */
    maxP99Ms: z.number().positive().optional(),
    /** Abrupt cuts of long-lived streams allowed (graceful closes that clients resume are not cuts). Default 0. */
    maxStreamsCut: z.number().int().min(0).default(0),
    /** Longest SSE/WebSocket reconnect gap after a graceful close; unset: not judged. */
    maxResumeGapMs: z.number().positive().optional(),
    /** SSE/WebSocket messages clients may miss across reconnects. Default 0. */
    maxMessagesLost: z.number().int().min(0).default(0),
    /** Below this many judged answers (from the new version, with `judge: new-version`), the verdict is inconclusive. */
    minRequests: z.number().int().min(1).default(20),
    /**
     * `new-version` (default): the new version's own answers, from when the traffic change
     * measurably took effect. `all`: every request since the step started, whoever answered.
     */
    judge: z.enum(['new-version', 'all']).default('new-version'),
    /** The new release's version label (as the probe's version header carries it). */
    version: z.string().optional(),
    /** Labels of the releases that served before: any other label is the new version. */
    previousVersions: z.array(z.string()).optional(),
    /** The step that moved traffic: its result gives the weight set and when (set-weight, switch-selector). */
    trafficStep: z.string().optional(),
    /** The new version's expected share (0..100) when no traffic step says, e.g. 100 after a switch. */
    expectedShare: z.number().min(0).max(100).optional(),
    /** A/B: judge the requests the probe sent with this route's header or cookie (all should reach the new version). */
    route: route.optional(),
    /** Points the measured share may differ from the expected one before the change counts as propagated. */
    shareTolerance: z.number().min(0).max(100).default(5),
    /** Answers in the sliding window that decides propagation. */
    settleAnswers: z.number().int().min(1).default(100),
  })
  .strict();

export type ProbeGateConfig = z.infer<typeof probeGateConfig>;

/**
 * Judges live traffic from the traffic probe. By default it judges the new version on its own
 * answers (error rate, p99, downloads cut), in a window that starts once the traffic change has
 * measurably propagated: the new version's measured share is within tolerance of the weight set
 * (or of 100% after a switch, once old keep-alive connections have moved; or, for A/B, of 100%
 * of the routed requests). Fewer than `minRequests` new-version answers is inconclusive, never a
 * pass. Without a probe there is nothing to judge: the gate is skipped, and the report says so.
 */
export function createProbeGate(config: JsonObject, env: GateEnv): Gate {
  const c = parseGateConfig('probe', probeGateConfig, config);
  return {
    name: 'probe budget',
    async evaluate(ctx): Promise<GateVerdict> {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
      if (ctx.probe === undefined) return { kind: 'skip', reason: 'no traffic probe is running (probe disabled, or nothing to probe yet)' };
      if (c.judge === 'all') return judgeAll(c, ctx.probe.stats(env.startedAt));
      const m = measure(c, ctx.probe, ctx.results, env);
      const verdict = judgeNewVersion(c, m);
      // SSE/WebSocket resumes are per connection, not per version: judged over the same window.
      if (verdict.kind !== 'pass') return verdict;
      const reconnects = longLivedBudget(c, ctx.probe.stats(m.window.settledAt ?? m.window.changedAt));
      return reconnects ? { ...reconnects, traffic: verdict.traffic } : verdict;
    },
  };
}

function measure(
  c: ProbeGateConfig,
  probe: ProbeReader,
  results: RunContext['results'],
  env: GateEnv,
): { window: VersionWindow; weightSet: number | null; routeText: string | null } {
  const moved = c.trafficStep === undefined ? undefined : results[c.trafficStep];
  const weightSet = typeof moved?.weight === 'number' ? moved.weight : null;
  const at = typeof moved?.at === 'number' ? moved.at : typeof moved?.switchedAt === 'number' ? moved.switchedAt : undefined;
  const segment: WindowSegment = c.route ? 'routed' : 'all';
  const expectedShare = c.route ? 100 : (weightSet ?? c.expectedShare ?? null);
  const window = probe.window({
    label: env.stepId ?? 'probe gate',
    changedAt: Math.min(at ?? env.startedAt, env.startedAt),
    newVersion: { label: c.version, previous: c.previousVersions },
    expectedShare,
    tolerance: c.shareTolerance,
    settleAnswers: c.settleAnswers,
    segment,
  });
  const routeText =
    c.route === undefined ? null : c.route.kind === 'header' ? `${c.route.name}: ${c.route.value}` : `cookie ${c.route.name}=always`;
  return { window, weightSet, routeText };
}

function trafficOf(m: { window: VersionWindow; weightSet: number | null; routeText: string | null }): StepTraffic {
  const w = m.window;
  return {
    weightSet: m.weightSet,
    route: m.routeText,
    segment: w.segment,
    expectedShare: w.expectedShare,
    measuredShare: w.measuredShare,
    newVersions: w.newVersions,
    answersJudged: w.newVersion.answers,
    failedJudged: w.newVersion.failed,
    errorRate: w.newVersion.errorRate === null ? null : Math.round(w.newVersion.errorRate * 1e6) / 1e6,
    p99Ms: w.newVersion.p99Ms,
    requests: w.requests,
    byVersion: Object.fromEntries(Object.entries(w.byVersion).map(([v, f]) => [v, { answers: f.answers, failed: f.failed }])),
    changedAt: w.changedAt,
    settledAt: w.settledAt,
    settle: w.settle,
  };
}

function judgeNewVersion(
  c: ProbeGateConfig,
  m: { window: VersionWindow; weightSet: number | null; routeText: string | null },
): GateVerdict {
  const verdict = judgeWindow(c, m);
  const note = versionNameNote(c.version, m.window.newVersions);
  if (note === undefined) return verdict;
  if (verdict.kind === 'pass') return { ...verdict, detail: `${verdict.detail ?? ''}${note}` };
  if (verdict.kind === 'fail' || verdict.kind === 'inconclusive') return { ...verdict, reason: `${verdict.reason}${note}` };
  return verdict;
}

/**
 * The new pods answered with a version the spec does not name (an app that reports "2.0.0" for
 * image tag v2): they were told apart from the previous versions and judged, but the report and
 * the gates should call them by the name they answer to.
 */
export function versionNameNote(expected: string | undefined, identified: readonly string[]): string | undefined {
  if (expected === undefined || identified.length === 0 || identified.includes(expected)) return undefined;
  return ` — note: the new pods answer as version ${identified.join('+')}, not ${expected}; set spec.version: ${identified[0]} in baton.yaml so every gate and report names it`;
}

function judgeWindow(c: ProbeGateConfig, m: { window: VersionWindow; weightSet: number | null; routeText: string | null }): GateVerdict {
  const w = m.window;
  const traffic = trafficOf(m);
  const who = w.newVersions.length > 0 ? w.newVersions.join('+') : 'the new version';
  if (w.settledAt === null) {
    return { kind: 'inconclusive', reason: `traffic change not measured yet: ${w.settle}`, traffic };
  }
  const n = w.newVersion;
  if (n.answers < c.minRequests) {
    const hint =
      w.newVersions.length === 0 && w.requests > 0
        ? " (no answer carries a new version label: does the app send the probe's version header?)"
        : '';
    return {
      kind: 'inconclusive',
      reason: `only ${n.answers} answers from ${who} since the change took effect (need ${c.minRequests})${hint}`,
      traffic,
    };
  }
  const rate = n.errorRate ?? 0;
  const share = `${w.measuredShare ?? 0}% of ${w.segment === 'routed' ? 'routed ' : ''}answers`;
  if (rate > c.maxErrorRate) {
    const apart = w.unattributedFailures > 0 ? `, ${w.unattributedFailures} of them with no version` : '';
    return {
      kind: 'fail',
      reason: `${who}: ${n.failed} of ${n.answers + w.unattributedFailures} of its requests failed (${percent(rate)}${apart}; budget ${percent(c.maxErrorRate)}; its share ${share})`,
      traffic,
    };
  }
  const cut = w.streamsCut?.newVersion ?? 0;
  if (cut > c.maxStreamsCut) return { kind: 'fail', reason: `${who}: ${cut} downloads cut (budget ${c.maxStreamsCut})`, traffic };
  if (c.maxP99Ms !== undefined) {
    if (n.p99Ms === null) return { kind: 'inconclusive', reason: `no latency measured for ${who} yet`, traffic };
    if (n.p99Ms > c.maxP99Ms) return { kind: 'fail', reason: `${who}: p99 ${n.p99Ms} ms over budget ${c.maxP99Ms} ms`, traffic };
  }
  return {
    kind: 'pass',
    detail: `${who}: ${n.answers} answers judged, ${n.failed} failed, p99 ${n.p99Ms ?? '-'} ms, share ${share}`,
    traffic,
  };
}

/** The SSE/WebSocket reconnect budgets (lost messages, longest gap), or undefined within them. */
function longLivedBudget(c: ProbeGateConfig, s: ProbeStats): { kind: 'fail'; reason: string } | undefined {
  if ((s.messagesLost ?? 0) > c.maxMessagesLost) {
    return { kind: 'fail', reason: `${s.messagesLost} SSE/WebSocket messages lost across reconnects (budget ${c.maxMessagesLost})` };
  }
  if (c.maxResumeGapMs !== undefined && (s.resumeGapMaxMs ?? 0) > c.maxResumeGapMs) {
    return { kind: 'fail', reason: `a reconnect took ${s.resumeGapMaxMs} ms (budget ${c.maxResumeGapMs} ms)` };
  }
  return undefined;
}

function judgeAll(c: ProbeGateConfig, s: ProbeStats): GateVerdict {
  if (s.requests < c.minRequests) {
    return { kind: 'inconclusive', reason: `only ${s.requests} requests since the step started (need ${c.minRequests})` };
  }
  const errorRate = s.failed / s.requests;
  if (errorRate > c.maxErrorRate) {
    return {
      kind: 'fail',
      reason: `${s.failed} of ${s.requests} requests failed (${percent(errorRate)}, budget ${percent(c.maxErrorRate)})`,
    };
  }
  if (s.streamsCut > c.maxStreamsCut) return { kind: 'fail', reason: `${s.streamsCut} streams cut (budget ${c.maxStreamsCut})` };
  const reconnects = longLivedBudget(c, s);
  if (reconnects) return reconnects;
  if (c.maxP99Ms !== undefined) {
    if (s.p99Ms === null) return { kind: 'inconclusive', reason: 'no latency measured yet' };
    if (s.p99Ms > c.maxP99Ms) return { kind: 'fail', reason: `p99 ${s.p99Ms} ms over budget ${c.maxP99Ms} ms` };
  }
  return { kind: 'pass', detail: `${s.requests} requests, ${s.failed} failed, ${s.streamsCut} streams cut, p99 ${s.p99Ms ?? '-'} ms` };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}
