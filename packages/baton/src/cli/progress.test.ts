import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../engine/engine.js';
import { progressPrinter } from './progress.js';

/** A printer on a plain (non-terminal) stderr with a hand-driven clock and timer. */
function harness() {
  let clock = 1_000_000;
  let tick: (() => void) | undefined;
  let err = '';
  const print = progressPrinter(
    {
      cwd: '/',
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
      signal: new AbortController().signal,
    },
    { now: () => clock, setInterval: (fn) => ((tick = fn), {}), clearInterval: () => (tick = undefined) },
  );
  return {
    print,
    advance(ms: number) {
      for (let t = 0; t < ms; t += 1000) {
        clock += 1000;
        tick?.();
      }
    },
    output: () => err,
    ticking: () => tick !== undefined,
  };
}

const started = {
  type: 'run-started',
  runId: 'r1',
  steps: [{ id: 'rollout:app', title: 'Roll Deployment app' }],
} as unknown as EngineEvent;

test('a long wait in a plain log says "still" every 10 s, with what it waits for and the elapsed time', () => {
  const h = harness();
  h.print(started);
  h.print({ type: 'step-started', runId: 'r1', stepId: 'rollout:app', at: 1_000_000 } as EngineEvent);
  h.print({ type: 'step-progress', runId: 'r1', stepId: 'rollout:app', message: '1 of 3 new pods ready' } as EngineEvent);
  h.advance(9_000);
  assert.doesNotMatch(h.output(), /still/, 'nothing before 10 s of silence');
  h.advance(2_000);
  assert.match(h.output(), /… still Roll Deployment app · 1\ds · 1 of 3 new pods ready\n/);
  h.advance(10_000);
  assert.equal(h.output().match(/still/g)?.length, 2, 'one line per 10 s, not per tick');
});

test('the heartbeat stops when the run ends', () => {
  const h = harness();
  h.print(started);
  h.print({ type: 'step-started', runId: 'r1', stepId: 'rollout:app', at: 1_000_000 } as EngineEvent);
  assert.equal(h.ticking(), true);
  h.print({
    type: 'step-finished',
    runId: 'r1',
    stepId: 'rollout:app',
    at: 1_005_000,
    result: { kind: 'done', summary: 'ok' },
  } as unknown as EngineEvent);
  h.print({ type: 'run-finished', runId: 'r1', status: 'succeeded' } as unknown as EngineEvent);
  assert.equal(h.ticking(), false);
  h.advance(30_000);
  assert.doesNotMatch(h.output(), /still/);
  assert.match(h.output(), /✓ rollout:app \(5\.0s\): ok\nrun r1 succeeded\n$/);
});
