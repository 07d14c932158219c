import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeStats } from '../engine/step.js';
import { createProbeGate } from './probe-budget.js';
import { createTestRunContext } from '../engine/testing/test-run-context.js';

async function judge(stats: Partial<ProbeStats>, config: Record<string, number> = {}) {
  // Blended (`judge: all`): reconnect budgets are per connection, whoever answered.
  const gate = createProbeGate({ kind: 'probe', judge: 'all', ...config }, { startedAt: 0 });
  const probe = {
    stats: (): ProbeStats => ({ requests: 100, failed: 0, streamsStarted: 3, streamsCut: 0, p50Ms: 5, p99Ms: 40, byVersion: {}, ...stats }),
    window: () => {
      throw new Error('not used with judge: all');
    },
  };
  return gate.evaluate(createTestRunContext({ probe }));
}

test('probe gate: messages lost across reconnects fail by default; the budget allows them', { timeout: 5000 }, async () => {
  assert.deepEqual(await judge({ connectionsResumed: 2, messagesLost: 3 }), {
    kind: 'fail',
    reason: '3 SSE/WebSocket messages lost across reconnects (budget 0)',
  });
  assert.equal((await judge({ messagesLost: 3 }, { maxMessagesLost: 3 })).kind, 'pass');
  assert.equal((await judge({ connectionsResumed: 4, messagesLost: 0 })).kind, 'pass', 'graceful closes that resumed are not cuts');
});

test('probe gate: a reconnect gap over maxResumeGapMs fails; unset, gaps are not judged', { timeout: 5000 }, async () => {
  assert.deepEqual(await judge({ connectionsResumed: 1, resumeGapMaxMs: 900 }, { maxResumeGapMs: 500 }), {
    kind: 'fail',
    reason: 'a reconnect took 900 ms (budget 500 ms)',
  });
  assert.equal((await judge({ connectionsResumed: 1, resumeGapMaxMs: 400 }, { maxResumeGapMs: 500 })).kind, 'pass');
  assert.equal((await judge({ connectionsResumed: 1, resumeGapMaxMs: 90_000 })).kind, 'pass');
});
