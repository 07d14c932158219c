import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeReader, ProbeStats } from '../engine/step.js';
import { createProbeGate } from './probe-budget.js';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';

function probe(stats: Partial<ProbeStats>): ProbeReader & { since: (number | undefined)[] } {
  const since: (number | undefined)[] = [];
  return {
    since,
    stats(sinceMs) {
      since.push(sinceMs);
      return { requests: 100, failed: 0, streamsStarted: 3, streamsCut: 0, p50Ms: 5, p99Ms: 40, byVersion: {}, ...stats };
    },
  };
}

async function verdict(stats: Partial<ProbeStats>, config: Record<string, number> = {}) {
  const reader = probe(stats);
  const gate = createProbeGate({ kind: 'probe', ...config }, { startedAt: 12345 });
  return { verdict: await gate.evaluate(createTestRunContext({ probe: reader })), reader };
}

test('probe gate: clean traffic since the step started passes', { timeout: 5000 }, async () => {
  const { verdict: v, reader } = await verdict({});
  assert.equal(v.kind, 'pass');
  assert.deepEqual(reader.since, [12345], 'stats are taken since the gate step started');
});

test('probe gate: no probe or too little traffic is inconclusive, never a pass', { timeout: 5000 }, async () => {
  const gate = createProbeGate({ kind: 'probe' }, { startedAt: 0 });
  assert.deepEqual(await gate.evaluate(createTestRunContext()), { kind: 'inconclusive', reason: 'no traffic probe is running' });
  const few = await verdict({ requests: 19 });
  assert.deepEqual(few.verdict, { kind: 'inconclusive', reason: 'only 19 requests since the step started (need 20)' });
  assert.equal((await verdict({ requests: 5 }, { minRequests: 5 })).verdict.kind, 'pass');
});

test('probe gate: the error budget defaults to zero failed requests', { timeout: 5000 }, async () => {
  const one = await verdict({ failed: 1 });
  assert.deepEqual(one.verdict, { kind: 'fail', reason: '1 of 100 requests failed (1.00%, budget 0.00%)' });
  assert.equal((await verdict({ failed: 1 }, { maxErrorRate: 0.01 })).verdict.kind, 'pass');
  assert.equal((await verdict({ failed: 2 }, { maxErrorRate: 0.01 })).verdict.kind, 'fail');
});

test('probe gate: streams cut and p99 budgets', { timeout: 5000 }, async () => {
  assert.deepEqual((await verdict({ streamsCut: 1 })).verdict, { kind: 'fail', reason: '1 streams cut (budget 0)' });
  assert.equal((await verdict({ streamsCut: 1 }, { maxStreamsCut: 1 })).verdict.kind, 'pass');
  assert.deepEqual((await verdict({ p99Ms: 250 }, { maxP99Ms: 200 })).verdict, { kind: 'fail', reason: 'p99 250 ms over budget 200 ms' });
  assert.equal((await verdict({ p99Ms: null }, { maxP99Ms: 200 })).verdict.kind, 'inconclusive');
  assert.equal((await verdict({ p99Ms: 150 }, { maxP99Ms: 200 })).verdict.kind, 'pass');
});

test('probe gate: invalid config is GATE_INVALID', () => {
  assert.throws(() => createProbeGate({ kind: 'probe', maxErrorRate: 2 }, { startedAt: 0 }), (e) => isBatonError(e) && e.code === 'GATE_INVALID');
});
