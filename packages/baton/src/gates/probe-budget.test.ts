import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../json.js';
import { createProbeGate } from './probe-budget.js';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';
import { RequestLog, type RequestSample } from '../probe/request-log.js';
import { createProbeReader } from '../probe/probe-reader.js';

const t0 = 1_000_000;

/**
 * `count` requests 5 ms apart from `start`; `who(i)` says who answered request i: a version (ok),
 * a version with a failing status, or nobody (a refused connection).
 */
function traffic(
  count: number,
  who: (i: number) => { version: string; fail?: boolean; routed?: boolean } | 'refused',
  start = t0,
): RequestSample[] {
  return Array.from({ length: count }, (_, i) => {
    const sentAt = start + i * 5;
    const w = who(i);
    if (w === 'refused')
      return {
        sentAt,
        doneAt: sentAt + 1,
        status: null,
        version: null,
        fresh: false,
        failure: { reason: 'refused', message: 'ECONNREFUSED' },
      };
    return {
      sentAt,
      doneAt: sentAt + (w.fail ? 3 : 2),
      status: w.fail ? 500 : 200,
      version: w.version,
      fresh: i % 5 === 0,
      ...(w.routed ? { routed: true } : {}),
      ...(w.fail ? { failure: { reason: 'status' as const, message: 'HTTP 500' } } : {}),
    };
  });
}

async function verdictOf(samples: RequestSample[], config: JsonObject, results: Record<string, JsonObject> = {}) {
  const log = new RequestLog({ failureCap: 10 });
  for (const s of samples) log.add(s);
  const ctx = { ...createTestRunContext({ probe: createProbeReader({ log }) }), results };
  return createProbeGate({ kind: 'probe', ...config }, { startedAt: t0, stepId: 'canary:1:analysis' }).evaluate(ctx);
}

/** 10% on v2 (every 10th request), and v2 fails every 20th of its own answers: 5%. */
const tenPercentBadV2 = traffic(4000, (i) => (i % 10 === 0 ? { version: 'v2', fail: (i / 10) % 20 === 0 } : { version: 'v1' }));
const weight10 = { 'canary:0:weight-10': { weight: 10, precision: 'exact', at: t0 } };

test('probe gate: a v2 failing 5% at a 10% step fails on its own error rate, though the blended rate is under budget', async () => {
  const config = { maxErrorRate: 0.02, version: 'v2', previousVersions: ['v1'], trafficStep: 'canary:0:weight-10' };
  const blended = await verdictOf(tenPercentBadV2, { ...config, judge: 'all' }, weight10);
  assert.equal(blended.kind, 'pass', 'blended: 20 of 4000 failed = 0.5%, under 2%');
  const own = await verdictOf(tenPercentBadV2, config, weight10);
  assert.equal(own.kind, 'fail');
  assert.match(
    own.kind === 'fail' ? own.reason : '',
    /^v2: 19 of 390 of its requests failed \(4\.87%; budget 2\.00%; its share 10% of answers\)/,
  );
  const t = own.kind === 'fail' ? own.traffic : undefined;
  assert.deepEqual([t?.weightSet, t?.expectedShare, t?.measuredShare, t?.answersJudged, t?.newVersions], [10, 10, 10, 390, ['v2']]);
  // The first 100 answers decided that the 10% had arrived; they are not judged again.
  assert.equal(t?.settledAt, t0 + 100 * 5);
});

test('probe gate: the window starts when the weight measurably arrived, not when it was set', async () => {
  // Set at t0, but the proxy still sends everything to v1 for 2 s (400 requests), then 34%.
  const late = traffic(2400, (i) => (i >= 400 && i % 100 < 34 ? { version: 'v2' } : { version: 'v1' }));
  const results = { w: { weight: 34, precision: 'exact', at: t0 } };
  const v = await verdictOf(late, { version: 'v2', trafficStep: 'w' }, results);
  assert.equal(v.kind, 'pass', JSON.stringify(v));
  const t = v.kind === 'pass' ? v.traffic : undefined;
  assert.ok(t?.settledAt !== null && t !== undefined && t.settledAt! > t0 + 400 * 5, `settled at +${(t?.settledAt ?? 0) - t0} ms`);
  assert.ok(Math.abs((t?.measuredShare ?? 0) - 34) < 2, `measured ${t?.measuredShare}%`);
  // Before it arrived: inconclusive, never a pass.
  const early = await verdictOf(late.slice(0, 405), { version: 'v2', trafficStep: 'w' }, results);
  assert.equal(early.kind, 'inconclusive');
  assert.match(
    early.kind === 'inconclusive' ? early.reason : '',
    /traffic change not measured yet: measured share \d+% over the last 100 answers, not yet within 14\.21 points of 34%/,
  );
});

test('probe gate: too few answers from the new version is inconclusive, whatever the others answered', async () => {
  const few = traffic(1000, (i) => (i % 100 === 0 ? { version: 'v2' } : { version: 'v1' }));
  const v = await verdictOf(few, { version: 'v2', expectedShare: 1, settleAnswers: 100 });
  assert.equal(v.kind, 'inconclusive');
  assert.match(v.kind === 'inconclusive' ? v.reason : '', /^only \d answers from v2 since the change took effect \(need 20\)$/);
  const none = await verdictOf(
    traffic(500, () => ({ version: 'v1' })),
    { version: 'v2', previousVersions: ['v1'], expectedShare: 0 },
  );
  assert.match(none.kind === 'inconclusive' ? none.reason : '', /only 0 answers from the new version .*version header/);
});

test('probe gate: failures no version can be named for count against the new version', async () => {
  const refused = traffic(2000, (i) => (i % 50 === 7 ? 'refused' : i % 2 === 0 ? { version: 'v2' } : { version: 'v1' }));
  const v = await verdictOf(refused, { version: 'v2', expectedShare: 50, maxErrorRate: 0.01 });
  assert.equal(v.kind, 'fail');
  assert.match(v.kind === 'fail' ? v.reason : '', /with no version/);
});

test('probe gate: after a switch, v2 is judged once old keep-alive connections have moved; v1 answers are not judged', async () => {
  // v1 keeps answering on old connections for 1 s after the switch, and fails there (draining).
  const switched = traffic(2000, (i) =>
    i < 200 ? (i % 3 === 0 ? { version: 'v2' } : { version: 'v1', fail: i % 7 === 0 }) : { version: 'v2' },
  );
  const v = await verdictOf(
    switched,
    { version: 'v2', trafficStep: 'bluegreen:switch', expectedShare: 100 },
    { 'bluegreen:switch': { switchedAt: t0 } },
  );
  assert.equal(v.kind, 'pass', JSON.stringify(v));
  const t = v.kind === 'pass' ? v.traffic : undefined;
  assert.deepEqual(Object.keys(t?.byVersion ?? {}), ['v2']);
  assert.ok((t?.settledAt ?? 0) >= t0 + 200 * 5);
});

test('probe gate: A/B judges the routed requests, where a bad B shows though the stable side is clean', async () => {
  const ab = traffic(3000, (i) => (i % 4 === 0 ? { version: 'v2', routed: true, fail: i % 40 === 0 } : { version: 'v1' }));
  const route = { kind: 'header', name: 'x-beta', value: 'yes' };
  const blended = await verdictOf(ab, { judge: 'all', maxErrorRate: 0.05 });
  assert.equal(blended.kind, 'pass', 'blended: 2.5% failed, under 5%');
  const v = await verdictOf(ab, { version: 'v2', previousVersions: ['v1'], route, maxErrorRate: 0.05 });
  assert.equal(v.kind, 'fail');
  const t = v.kind === 'fail' ? v.traffic : undefined;
  assert.deepEqual([t?.segment, t?.route, t?.expectedShare, t?.measuredShare], ['routed', 'x-beta: yes', 100, 100]);
});

test('probe gate: a new version label taken from the previous ones when the release label does not show', async () => {
  const v = await verdictOf(
    traffic(2000, (i) => (i % 2 === 0 ? { version: 'v2' } : { version: 'v1' })),
    { version: 'v2-bad', previousVersions: ['v1'], expectedShare: 50 },
  );
  assert.equal(v.kind, 'pass');
  assert.deepEqual(v.kind === 'pass' ? v.traffic?.newVersions : undefined, ['v2']);
  assert.match(
    v.kind === 'pass' ? (v.detail ?? '') : '',
    /the new pods answer as version v2, not v2-bad; set spec\.version: v2/,
    'says which name the pods answer to',
  );
  const named = await verdictOf(
    traffic(2000, (i) => (i % 2 === 0 ? { version: 'v2' } : { version: 'v1' })),
    { version: 'v2', previousVersions: ['v1'], expectedShare: 50 },
  );
  assert.doesNotMatch(named.kind === 'pass' ? (named.detail ?? '') : 'x', /note:/, 'no note when the name matches');
});

test('probe gate: p99 and downloads of the new version', async () => {
  const slow = traffic(2000, (i) => ({ version: i % 2 === 0 ? 'v2' : 'v1' })).map((s) =>
    s.version === 'v2' ? { ...s, doneAt: s.sentAt + 300 } : s,
  );
  const v = await verdictOf(slow, { version: 'v2', expectedShare: 50, maxP99Ms: 200 });
  assert.match(v.kind === 'fail' ? v.reason : '', /^v2: p99 300 ms over budget 200 ms$/);
});

test('probe gate: no probe is a skip (with the reason), never a pause or a pass', async () => {
  const gate = createProbeGate({ kind: 'probe' }, { startedAt: 0 });
  assert.deepEqual(await gate.evaluate(createTestRunContext()), {
    kind: 'skip',
    reason: 'no traffic probe is running (probe disabled, or nothing to probe yet)',
  });
});

test('probe gate (judge: all): the blended budget, streams and p99 as before', async () => {
  const clean = traffic(100, () => ({ version: 'v1' }));
  assert.equal((await verdictOf(clean, { judge: 'all' })).kind, 'pass');
  assert.deepEqual(await verdictOf(clean.slice(0, 19), { judge: 'all' }), {
    kind: 'inconclusive',
    reason: 'only 19 requests since the step started (need 20)',
  });
  const one = traffic(100, (i) => ({ version: 'v1', fail: i === 3 }));
  assert.deepEqual(await verdictOf(one, { judge: 'all' }), { kind: 'fail', reason: '1 of 100 requests failed (1.00%, budget 0.00%)' });
  assert.equal((await verdictOf(one, { judge: 'all', maxErrorRate: 0.01 })).kind, 'pass');
});

test('probe gate: invalid config is GATE_INVALID', () => {
  assert.throws(
    () => createProbeGate({ kind: 'probe', maxErrorRate: 2 }, { startedAt: 0 }),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
  assert.throws(
    () => createProbeGate({ kind: 'probe', judge: 'stable' }, { startedAt: 0 }),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
});
