import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeDowntime, totalDowntimeMs } from './downtime.js';

const ok = (sentAt: number, latency = 2) => ({ sentAt, doneAt: sentAt + latency, ok: true });
const bad = (sentAt: number, latency = 1) => ({ sentAt, doneAt: sentAt + latency, ok: false });
const opts = { noSuccessThresholdMs: 100, stoppedAt: 10_000 };

describe('computeDowntime', () => {
  it('is empty when every request succeeds quickly', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ok(i * 10));
    assert.deepEqual(computeDowntime(samples, opts), []);
  });

  it('turns a run of failures into one window, from the first failure to the next success', () => {
    const samples = [ok(0), bad(10), bad(20), bad(30, 5), ok(40), ok(50)];
    assert.deepEqual(computeDowntime(samples, opts), [{ start: 11, end: 42, failed: 3, kind: 'failures' }]);
  });

  it('counts a failure among steady successes until the next success only, not its own latency', () => {
    // Every 5 ms a request; all take 80 ms (slow, but under the threshold); one is reset.
    const samples = Array.from({ length: 200 }, (_, i) => (i === 100 ? bad(i * 5, 80) : ok(i * 5, 80)));
    const windows = computeDowntime(samples, opts);
    assert.deepEqual(windows, [{ start: 580, end: 585, failed: 1, kind: 'failures' }]);
  });

  it('sees a hang: no success for longer than the threshold while requests were due', () => {
    // Requests sent at 100..400 all answered at 600 (a frozen backend that recovered).
    const samples = [ok(0), ...[100, 200, 300, 400].map((t) => ({ sentAt: t, doneAt: 600, ok: true })), ok(700)];
    const windows = computeDowntime(samples, opts);
    assert.deepEqual(windows, [{ start: 100, end: 600, failed: 0, kind: 'no-success' }]);
    assert.equal(totalDowntimeMs(windows), 500);
  });

  it('does not count slow-but-steady answers under the threshold, nor idle time between requests', () => {
    const samples = [ok(0, 50), ok(1000, 50), ok(2000, 50)];
    assert.deepEqual(computeDowntime(samples, opts), []);
  });

  it('keeps an outage open until the probe stopped when nothing succeeded after it', () => {
    const samples = [ok(0), bad(100), bad(200)];
    assert.deepEqual(computeDowntime(samples, { noSuccessThresholdMs: 100, stoppedAt: 500 }), [
      { start: 100, end: 500, failed: 2, kind: 'failures' },
    ]);
  });

  it('does not count the probe warming up before its first answer as downtime', () => {
    // The first answers take 300 ms (cold connections), then everything is quick.
    const samples = [
      { sentAt: 0, doneAt: 300, ok: true },
      { sentAt: 5, doneAt: 301, ok: true },
      ...Array.from({ length: 50 }, (_, i) => ok(310 + i * 5)),
    ];
    assert.deepEqual(computeDowntime(samples, opts), []);
  });

  it('still sees a hang that begins after the first answer', () => {
    const samples = [ok(0), ok(5), { sentAt: 10, doneAt: 400, ok: true }, ok(400)];
    assert.deepEqual(computeDowntime(samples, opts), [{ start: 10, end: 400, failed: 0, kind: 'no-success' }]);
  });
});
