import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../engine/journal.js';
import { deriveRunState } from '../engine/run-state.js';
import type { PlannedStep } from '../engine/step.js';
import { runActions } from './action-text.js';

const step = (id: string, reversible = true): PlannedStep => ({ id, kind: 'test', title: `Step ${id}`, reversible, params: {} });
const steps = [step('weight'), step('pause'), step('contract', false), step('record')];
const started: JournalEntry = { at: 1, runId: 'r', type: 'run-started', app: 'web', namespace: 'prod', steps, meta: {} };
const done = (id: string, at: number): JournalEntry[] => [
  { at, runId: 'r', type: 'step-started', stepId: id },
  { at: at + 1, runId: 'r', type: 'step-finished', stepId: id, result: { kind: 'done' } },
];
const paused: JournalEntry[] = [
  started,
  ...done('weight', 2),
  { at: 4, runId: 'r', type: 'step-started', stepId: 'pause' },
  { at: 5, runId: 'r', type: 'step-finished', stepId: 'pause', result: { kind: 'paused', reason: 'waiting' } },
  { at: 6, runId: 'r', type: 'run-finished', status: 'paused', reason: 'waiting' },
];
const byKind = (entries: JournalEntry[]) => Object.fromEntries(runActions(deriveRunState(entries), false).map((a) => [a.kind, a]));

test('paused before an irreversible step: promote names the point of no return, abort rolls back', () => {
  const a = byKind(paused);
  assert.equal(a.promote?.allowed, true);
  assert.match(a.promote?.consequence ?? '', /Approves “Step pause” and runs the 2 remaining steps: “Step contract”, “Step record”.$/);
  assert.match(
    a.promote?.pointOfNoReturn ?? '',
    /“Step contract” is the point of no return: once it completes, baton can no longer roll back on its own/,
  );
  assert.equal(a.abort?.allowed, true);
  assert.match(a.abort?.consequence ?? '', /Rolls back: undoes the 1 completed step in reverse \(“Step weight”\)/);
  assert.equal(a.abort?.pointOfNoReturn, undefined);
  assert.equal(a.retry?.allowed, false);
});

test('halted after the point of no return: abort undoes nothing, retry says it cannot roll back', () => {
  const halted: JournalEntry[] = [
    started,
    ...done('weight', 2),
    ...done('pause', 4),
    ...done('contract', 6),
    { at: 8, runId: 'r', type: 'step-started', stepId: 'record' },
    { at: 9, runId: 'r', type: 'step-finished', stepId: 'record', result: { kind: 'failed', reason: 'boom' } },
    { at: 10, runId: 'r', type: 'run-finished', status: 'halted', reason: 'boom' },
  ];
  const a = byKind(halted);
  assert.equal(a.promote?.allowed, false);
  assert.match(a.abort?.pointOfNoReturn ?? '', /has already passed: abort cannot roll back/);
  assert.match(a.abort?.consequence ?? '', /Nothing is undone/);
  assert.equal(a.retry?.allowed, true);
  assert.match(a.retry?.consequence ?? '', /Runs “Step record” again/);
  assert.match(a.retry?.pointOfNoReturn ?? '', /nothing is rolled back/);
});

test('a finished run allows nothing, and says why', () => {
  const a = byKind([
    ...paused,
    { at: 7, runId: 'r', type: 'abort-requested', reason: 'no' },
    { at: 8, runId: 'r', type: 'run-finished', status: 'rolled-back' },
  ]);
  for (const kind of ['promote', 'abort', 'retry']) {
    assert.equal(a[kind]?.allowed, false, kind);
  }
  assert.match(a.promote?.consequence ?? '', /already ended rolled-back/);
});

test('paused on request between steps (`baton pause`): promote continues with the steps left', () => {
  const requested: JournalEntry[] = [
    started,
    ...done('weight', 2),
    { at: 4, runId: 'r', type: 'pause-requested', reason: 'look at the graphs', by: 'alice' },
    { at: 5, runId: 'r', type: 'run-finished', status: 'paused', reason: 'paused on request' },
  ];
  const a = byKind(requested);
  assert.equal(a.promote?.allowed, true, a.promote?.consequence);
  assert.match(
    a.promote?.consequence ?? '',
    /^Continues the run paused on request by alice: runs the 3 remaining steps: “Step pause”, “Step contract”, “Step record”.$/,
  );
  assert.match(a.promote?.pointOfNoReturn ?? '', /“Step contract” is the point of no return/);
});
