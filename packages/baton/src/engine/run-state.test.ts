import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry, JournalEvent } from './journal.js';
import { deriveRunState, isRollingBack, pointOfNoReturnPassed } from './run-state.js';
import { testStep } from './testing/recording-step-kind.js';

function journal(...events: JournalEvent[]): JournalEntry[] {
  const steps = [testStep('a'), testStep('b', { reversible: false }), testStep('c')];
  return [
    { at: 0, runId: 'r', type: 'run-started', app: 'web', namespace: 'ns', steps, meta: {} },
    ...events.map((event, i) => ({ at: i + 1, runId: 'r', ...event }) as JournalEntry),
  ];
}

test('deriveRunState: in-flight step, checkpoints merged in order, completed data', () => {
  const s = deriveRunState(
    journal(
      { type: 'step-started', stepId: 'a' },
      { type: 'step-checkpoint', stepId: 'a', data: { x: 1, y: 1 } },
      { type: 'step-checkpoint', stepId: 'a', data: { y: 2 } },
      { type: 'step-finished', stepId: 'a', result: { kind: 'done', data: { out: true } } },
      { type: 'step-started', stepId: 'b' },
    ),
  );
  assert.equal(s.status, 'running');
  assert.equal(s.inFlight, 'b');
  assert.deepEqual(s.checkpoints, { a: { x: 1, y: 2 } });
  assert.deepEqual(s.completed, { a: { out: true } });
  assert.deepEqual(s.started, ['a', 'b']);
  assert.equal(pointOfNoReturnPassed(s), false);
  assert.equal(s.updatedAt, 5);
});

test('deriveRunState: completing an irreversible step passes the point of no return', () => {
  const s = deriveRunState(
    journal(
      { type: 'step-started', stepId: 'b' },
      { type: 'step-finished', stepId: 'b', result: { kind: 'done' } },
      { type: 'step-started', stepId: 'c' },
      { type: 'step-error', stepId: 'c', error: 'boom' },
    ),
  );
  assert.equal(s.pointOfNoReturn, 'b');
  assert.deepEqual(s.failure, { stepId: 'c', reason: 'boom' });
  assert.equal(isRollingBack(s), false, 'after the point of no return nothing rolls back');
});

test('deriveRunState: undo progress, an undo failure, and its retry', () => {
  const s = deriveRunState(
    journal(
      { type: 'step-started', stepId: 'a' },
      { type: 'step-finished', stepId: 'a', result: { kind: 'done' } },
      { type: 'step-started', stepId: 'c' },
      { type: 'step-finished', stepId: 'c', result: { kind: 'failed', reason: 'no' } },
      { type: 'undo-started', stepId: 'c' },
      { type: 'undo-finished', stepId: 'c' },
      { type: 'undo-started', stepId: 'a' },
      { type: 'undo-finished', stepId: 'a', error: 'stuck' },
      { type: 'run-finished', status: 'halted', reason: 'undo failed' },
    ),
  );
  assert.equal(s.status, 'halted');
  assert.equal(isRollingBack(s), true);
  assert.deepEqual(s.undone, ['c']);
  assert.deepEqual(s.undoFailure, { stepId: 'a', error: 'stuck' });
  const resumed = deriveRunState(
    [...journal(), ...[]].concat(
      journal(
        { type: 'step-started', stepId: 'a' },
        { type: 'step-finished', stepId: 'a', result: { kind: 'failed', reason: 'no' } },
        { type: 'run-resumed' },
        { type: 'undo-started', stepId: 'a' },
      ).slice(1),
    ),
  );
  assert.equal(resumed.status, 'running');
  assert.equal(resumed.undoInFlight, 'a');
  assert.deepEqual(resumed.failure, { stepId: 'a', reason: 'no' }, 'resume keeps a pre-PONR failure: rollback continues');
});

test('deriveRunState: pause, promote, resume', () => {
  const paused = journal(
    { type: 'step-started', stepId: 'a' },
    { type: 'step-finished', stepId: 'a', result: { kind: 'paused', reason: 'look' } },
    { type: 'run-finished', status: 'paused' },
  );
  assert.deepEqual(deriveRunState(paused).paused, { stepId: 'a', reason: 'look' });
  const promoted = deriveRunState([...paused, { at: 9, runId: 'r', type: 'promoted', stepId: 'a' }]);
  assert.equal(promoted.status, 'running');
  assert.equal(promoted.paused, undefined);
  assert.deepEqual(promoted.completed, { a: {} });
  const resumed = deriveRunState([...paused, { at: 9, runId: 'r', type: 'run-resumed' }]);
  assert.equal(resumed.paused, undefined);
  assert.deepEqual(resumed.completed, {}, 'resume does not count the paused step as done');
});

test('deriveRunState: a journal must begin with run-started', () => {
  assert.throws(() => deriveRunState([]));
  assert.throws(() => deriveRunState([{ at: 0, runId: 'r', type: 'step-started', stepId: 'a' }]));
});
