// A pause asked for by another process (`baton pause`): the live run stops at its next step
// boundary, paused with no step waiting, and promote or resume continues it with the next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortRun, promoteRun, requestPause, resumeRun, startRun } from './engine.js';
import { engineSetup, engineTarget } from './testing/engine-setup.js';
import { holdStep, testStep } from './testing/recording-step-kind.js';
import { deriveRunState } from './run-state.js';
import { isBatonError } from '../errors.js';

const target = engineTarget;

/** A run whose step `b` stays in flight until `finishB()`; `started` resolves once it runs. */
function setup() {
  const t = engineSetup();
  const held = holdStep(t.rec.script, 'b');
  return { ...t, started: held.started, finishB: held.finish };
}

test('a pause requested while a step runs stops the run after that step; promote continues with the next', { timeout: 5000 }, async () => {
  const t = setup();
  const running = t.start();
  await t.started;
  await requestPause({ journal: t.journal, runId: 'r1', reason: 'checking the dashboards', by: 'second terminal' });
  assert.equal(deriveRunState(await t.journal.read('r1')).status, 'running', 'the step in flight is not interrupted');
  t.finishB();
  const paused = await running;
  assert.equal(paused.status, 'paused');
  assert.equal(paused.reason, 'paused before step c at the request of second terminal: checking the dashboards');
  assert.deepEqual(paused.next, ['baton promote r1', 'baton abort r1', 'baton resume r1']);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b'], 'b finished, c did not start');
  assert.equal(t.lock.holderOf(target), undefined, 'a paused run holds no lock');
  assert.ok(
    t.events.some((e) => e.type === 'pause-requested' && e.by === 'second terminal'),
    'the live run tells its listeners',
  );

  const promoted = await promoteRun({ ...t.base, runId: 'r1' });
  assert.equal(promoted.status, 'succeeded');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c'], 'promote skips nothing: no step was waiting');
  assert.equal(deriveRunState(await t.journal.read('r1')).pauseRequested, undefined);
});

test('resume continues a run paused on request; abort rolls it back', { timeout: 5000 }, async () => {
  const resumed = setup();
  const running = resumed.start();
  await resumed.started;
  await requestPause({ journal: resumed.journal, runId: 'r1', reason: 'hold' });
  resumed.finishB();
  assert.equal((await running).status, 'paused');
  assert.equal((await resumeRun({ ...resumed.base, runId: 'r1' })).status, 'succeeded');
  assert.deepEqual(resumed.rec.calls, ['run:a', 'run:b', 'run:c']);

  const aborted = setup();
  const again = aborted.start();
  await aborted.started;
  await requestPause({ journal: aborted.journal, runId: 'r1', reason: 'hold' });
  aborted.finishB();
  await again;
  assert.equal((await abortRun({ ...aborted.base, runId: 'r1', reason: 'no' })).status, 'rolled-back');
  assert.deepEqual(aborted.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
});

test('a run that is not running cannot be asked to pause: paused, halted and finished runs say why', { timeout: 5000 }, async () => {
  const t = setup();
  t.finishB();
  t.rec.script.b = { run: 'paused' };
  await t.start();
  await assert.rejects(
    requestPause({ journal: t.journal, runId: 'r1', reason: 'x' }),
    (e) => isBatonError(e) && e.code === 'NOT_RUNNING' && /is paused, not running/.test(e.message) && /baton promote r1/.test(e.hint ?? ''),
  );
  t.rec.script.c = { run: 'failed' };
  await startRun({ ...t.base, runId: 'r2', ...target, steps: [testStep('a', { reversible: false }), testStep('c')] });
  await assert.rejects(
    requestPause({ journal: t.journal, runId: 'r2', reason: 'x' }),
    (e) => isBatonError(e) && e.code === 'NOT_RUNNING' && /is halted/.test(e.message),
  );
  await promoteRun({ ...t.base, runId: 'r1' });
  await assert.rejects(requestPause({ journal: t.journal, runId: 'r1', reason: 'x' }), (e) => isBatonError(e) && e.code === 'RUN_FINISHED');
  await assert.rejects(
    requestPause({ journal: t.journal, runId: 'nope', reason: 'x' }),
    (e) => isBatonError(e) && e.code === 'RUN_NOT_FOUND',
  );
});

test('a pause requested before a crash is still owed: the resumed run pauses at its first boundary', { timeout: 5000 }, async () => {
  const t = setup();
  t.finishB();
  await startRun({ ...t.base, runId: 'r1', ...target, steps: ['a', 'b', 'c'].map((id) => testStep(id)), maxSteps: 1 });
  await requestPause({ journal: t.journal, runId: 'r1', reason: 'hold' });
  const outcome = await resumeRun({ ...t.base, runId: 'r1' });
  assert.equal(outcome.status, 'paused');
  assert.match(outcome.reason ?? '', /paused before step b/);
  assert.deepEqual(t.rec.calls, ['run:a']);
});
