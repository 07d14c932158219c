import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeReader, ProbeStats } from '../../engine/step.js';
import { probeLatency, probeThrottle } from './probe-throttle.js';

/** A probe whose figures the test sets; records the window each read asked for. */
function fakeProbe(figures: Partial<ProbeStats>): { probe: ProbeReader; asked: number[]; set(f: Partial<ProbeStats>): void } {
  let current: ProbeStats = { requests: 100, failed: 0, streamsStarted: 0, streamsCut: 0, p50Ms: 5, p99Ms: 20, byVersion: {}, ...figures };
  const asked: number[] = [];
  const probe: ProbeReader = {
    stats: (since) => {
      asked.push(since ?? -1);
      return current;
    },
    window: () => {
      throw new Error('not used');
    },
  };
  return {
    probe,
    asked,
    set: (f) => {
      current = { ...current, ...f };
    },
  };
}

test('the backfill reads the probe p99 over its window, and only with a probe and a p99 limit', () => {
  const { probe, asked, set } = fakeProbe({ p99Ms: 20 });
  assert.equal(
    probeLatency(undefined, { maxP99Ms: 500 }, () => 0),
    undefined,
    'no probe: no latency brake',
  );
  assert.equal(
    probeLatency(probe, { maxErrorRate: 0.01 }, () => 0),
    undefined,
    'no p99 limit: no latency brake',
  );
  const latency = probeLatency(probe, { maxP99Ms: 500, windowMs: 5000 }, () => 60_000);
  assert.equal(latency?.maxP99Ms, 500);
  assert.equal(latency?.p99Ms(), 20);
  assert.deepEqual(asked, [55_000], 'the last 5 s');
  set({ p99Ms: 900 });
  assert.equal(latency?.p99Ms(), 900, 'read live, each batch');
  set({ p99Ms: null });
  assert.equal(latency?.p99Ms(), undefined, 'no answers in the window: unknown, not fast');
});

test('the throttle pauses while the p99 or the error rate is over its limit', async () => {
  const { probe, set } = fakeProbe({ p99Ms: 20, requests: 100, failed: 0 });
  const throttle = probeThrottle(probe, { maxP99Ms: 500, maxErrorRate: 0.01, pauseMs: 750 }, () => 0);
  assert.equal(await throttle(), 0);
  set({ p99Ms: 600 });
  assert.equal(await throttle(), 750);
  set({ p99Ms: 20, failed: 5 });
  assert.equal(await throttle(), 750);
  assert.equal(await probeThrottle(undefined, { maxP99Ms: 1 }, () => 0)(), 0, 'no probe: no brake');
});
