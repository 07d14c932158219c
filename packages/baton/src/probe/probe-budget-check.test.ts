import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetOverruns } from './probe-budget-check.js';
import type { ConnectionTotals, ProbeRecord } from './probe-record.js';

function connections(o: Partial<ConnectionTotals>): ConnectionTotals {
  return {
    path: '/events',
    target: 1,
    opened: 2,
    cut: 0,
    closedGracefully: 1,
    resumed: 1,
    resumeGapMs: { count: 1, p50Ms: 120, p99Ms: 120, maxMs: 120 },
    messagesLost: 0,
    messagesDuplicated: 0,
    openFailed: 0,
    openAtStop: 1,
    messages: 10,
    cuts: { count: 0, cap: 5, kept: [] },
    resumes: { count: 0, cap: 5, kept: [] },
    byVersion: {},
    ...o,
  };
}

function record(o: { failed?: number; downloadsCut?: number; sse?: ConnectionTotals; websockets?: ConnectionTotals }): ProbeRecord {
  return {
    requests: { failed: o.failed ?? 0 },
    streams: o.downloadsCut === undefined ? null : { cut: o.downloadsCut },
    sse: o.sse ?? null,
    websockets: o.websockets ?? null,
  } as unknown as ProbeRecord;
}

const budget = { maxFailedRequests: 0, maxCutStreams: 0, maxMessagesLost: 0 };

test('budget: graceful closes that resumed without loss are within a zero budget', () => {
  assert.deepEqual(budgetOverruns(record({ downloadsCut: 0, sse: connections({}), websockets: connections({}) }), budget), []);
});

test('budget: abrupt cuts of every stream kind add up; lost messages and a slow reconnect are their own overruns', () => {
  const r = record({
    downloadsCut: 1,
    sse: connections({ cut: 1, messagesLost: 2 }),
    websockets: connections({ cut: 1, resumeGapMs: { count: 1, p50Ms: 10, p99Ms: 10, maxMs: 2500 } }),
  });
  assert.deepEqual(budgetOverruns(r, { ...budget, maxResumeGapMs: 2000 }), [
    '3 streams cut abruptly (budget 0)',
    '2 SSE/WebSocket messages lost across reconnects (budget 0)',
    'a reconnect took 2500 ms (budget 2000 ms)',
  ]);
  assert.deepEqual(budgetOverruns(r, { maxFailedRequests: 0, maxCutStreams: 3, maxMessagesLost: 2 }), [], 'no gap budget: gaps not judged');
});
