import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../../engine/journal.js';
import { deriveRunState } from '../../engine/run-state.js';
import { describeRun } from './status-view.js';

const router = {
  kind: 'nginx-ingress',
  namespace: 'default',
  stableService: 'web',
  canaryService: 'web-canary',
  port: 8080,
  ingress: 'web',
};
const steps = [
  {
    id: 'canary:0:weight-30',
    kind: 'set-weight',
    title: 'nginx-ingress: 30% of traffic to the new version',
    reversible: true,
    params: { router, weight: 30, restoreOnUndo: true },
  },
  { id: 'canary:1:analysis', kind: 'gate', title: 'Analysis: 5s of live traffic', reversible: true, params: {} },
  { id: 'canary:2:pause', kind: 'pause', title: 'Pause until `baton promote`', reversible: true, params: {} },
];
const at = 1_000;
const entries = (more: Array<Record<string, unknown>>): JournalEntry[] =>
  [{ type: 'run-started', app: 'web', namespace: 'default', steps, meta: {} }, ...more].map(
    (e, i) => ({ at: at + i, runId: 'r1', ...e }) as JournalEntry,
  );

test('status: current step, traffic split, gate verdicts, and how to continue a pause', () => {
  const state = deriveRunState(
    entries([
      { type: 'step-started', stepId: 'canary:0:weight-30' },
      { type: 'step-finished', stepId: 'canary:0:weight-30', result: { kind: 'done' } },
      { type: 'step-started', stepId: 'canary:1:analysis' },
      { type: 'step-finished', stepId: 'canary:1:analysis', result: { kind: 'done', data: { passes: 5, evaluations: 6 } } },
      { type: 'step-started', stepId: 'canary:2:pause' },
      { type: 'step-finished', stepId: 'canary:2:pause', result: { kind: 'paused', reason: 'waiting' } },
      { type: 'run-finished', status: 'paused' },
    ]),
  );
  const text = describeRun(state, { weight: 30, route: { kind: 'header', name: 'x-beta', value: 'yes' }, precision: 'exact' }, at + 10_000);
  assert.match(text, /^run r1 \(default\/web\): paused/);
  assert.match(text, /now: Pause until `baton promote` \(paused: baton promote r1 \/ baton abort r1\)/);
  assert.match(text, /traffic: new 30% \/ stable 70%; requests with x-beta: yes -> new/);
  assert.match(text, /✓ Analysis: 5s of live traffic {2}\[pass: 5 of 6 evaluations\]/);
  assert.match(text, /⏸ Pause until `baton promote`/);
});

test('status: a failed gate shows its reason; an unreadable router says why', () => {
  const state = deriveRunState(
    entries([
      { type: 'step-started', stepId: 'canary:0:weight-30' },
      { type: 'step-finished', stepId: 'canary:0:weight-30', result: { kind: 'done' } },
      { type: 'step-started', stepId: 'canary:1:analysis' },
      {
        type: 'step-finished',
        stepId: 'canary:1:analysis',
        result: { kind: 'failed', reason: 'gate probe budget failed: 3 of 500 requests failed' },
      },
      { type: 'undo-started', stepId: 'canary:0:weight-30' },
    ]),
  );
  const text = describeRun(state, { error: 'cluster unreachable' }, at + 10_000);
  assert.match(text, /now: undoing nginx-ingress: 30% of traffic/);
  assert.match(text, /traffic: unavailable \(cluster unreachable\)/);
  assert.match(text, /✗ Analysis: 5s of live traffic {2}\[fail: gate probe budget failed: 3 of 500 requests failed\]/);
});

test('status: a pause asked for shows until the run reaches its step boundary', () => {
  const requested = entries([
    { type: 'step-started', stepId: 'canary:0:weight-30' },
    { type: 'pause-requested', reason: 'look at the graphs', by: 'second terminal' },
  ]);
  assert.match(
    describeRun(deriveRunState(requested), undefined, at),
    /pause requested by second terminal: it stops before its next step \(look at the graphs\)/,
  );
  const reached = deriveRunState([
    ...requested,
    ...entries([
      { type: 'step-finished', stepId: 'canary:0:weight-30', result: { kind: 'done' } },
      { type: 'run-finished', status: 'paused', reason: 'paused before step canary:1:analysis' },
    ]).slice(1),
  ]);
  assert.doesNotMatch(describeRun(reached, undefined, at), /pause requested/);
});
