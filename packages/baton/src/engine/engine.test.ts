import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortRun, promoteRun, requestAbort, resumeRun, startRun } from './engine.js';
import { testStep } from './testing/recording-step-kind.js';
import { engineSetup, engineTarget } from './testing/engine-setup.js';
import { deriveRunState } from './run-state.js';
import { isBatonError } from '../errors.js';

const target = engineTarget;
const setup = engineSetup;

test('a run executes every step in order and succeeds, journaling before and after each', { timeout: 5000 }, async () => {
  const t = setup();
  const outcome = await t.start();
  assert.deepEqual(outcome, { runId: 'r1', status: 'succeeded' });
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
  assert.deepEqual(await t.types(), [
    'run-started',
    'step-started:a',
    'step-finished:a',
    'step-started:b',
    'step-finished:b',
    'step-started:c',
    'step-finished:c',
    'run-finished',
  ]);
  assert.equal(t.lock.holderOf(target), undefined, 'lock released');
  assert.deepEqual((await t.journal.listRuns())[0]?.status, 'succeeded');
  assert.ok(t.events.some((e) => e.type === 'step-progress' && e.stepId === 'b' && e.fraction === 0.5));
});

test('a failure before the point of no return undoes the failed step then the completed ones in reverse', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'failed' };
  const outcome = await t.start(['a', 'b', 'c', 'd'].map((id) => testStep(id)));
  assert.equal(outcome.status, 'rolled-back');
  assert.equal(outcome.failedStep, 'c');
  assert.match(outcome.reason ?? '', /step c failed: c said no/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c', 'undo:c', 'undo:b', 'undo:a']);
  const state = deriveRunState(await t.journal.read('r1'));
  assert.deepEqual(state.undone, ['c', 'b', 'a']);
});

test('a step that throws is journaled as step-error and rolled back like a failure', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'throw' };
  const outcome = await t.start();
  assert.equal(outcome.status, 'rolled-back');
  assert.match(outcome.reason ?? '', /b blew up/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
  assert.ok((await t.types()).includes('step-error:b'));
});

test('an undo that throws halts the run (never claims rolled back); resume continues the rollback', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'failed' };
  t.rec.script.b = { undo: 'throw' };
  const halted = await t.start();
  assert.equal(halted.status, 'halted');
  assert.equal(halted.failedStep, 'b');
  assert.match(halted.reason ?? '', /undo of step b failed: undo of b blew up/);
  assert.deepEqual(halted.next, ['baton resume r1', 'baton abort r1']);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c', 'undo:c', 'undo:b']);
  assert.equal(t.lock.holderOf(target), undefined);

  t.rec.script.b = {};
  const resumed = await resumeRun({ ...t.base, runId: 'r1' });
  assert.equal(resumed.status, 'rolled-back');
  assert.match(resumed.reason ?? '', /step c failed/);
  assert.deepEqual(t.rec.calls.slice(5), ['undo:b', 'undo:a'], 'c is not undone twice; b is retried');
});

test('abort of a run halted mid-rollback continues the rollback', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'failed' };
  t.rec.script.b = { undo: 'throw' };
  assert.equal((await t.start()).status, 'halted');
  t.rec.script.b = {};
  const outcome = await abortRun({ ...t.base, runId: 'r1', reason: 'operator gave up' });
  assert.equal(outcome.status, 'rolled-back');
  assert.equal(outcome.reason, 'aborted: operator gave up');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c', 'undo:c', 'undo:b', 'undo:b', 'undo:a']);
});

test('abort of a run left running by a crash rolls back its started steps, the in-flight one included', { timeout: 5000 }, async () => {
  const t = setup();
  const now = () => 1;
  await t.journal.append({
    at: 0,
    runId: 'r1',
    type: 'run-started',
    app: 'web',
    namespace: 'prod',
    steps: ['a', 'b', 'c'].map((id) => testStep(id)),
    meta: {},
  });
  await t.journal.append({ at: 1, runId: 'r1', type: 'step-started', stepId: 'a' });
  await t.journal.append({ at: 2, runId: 'r1', type: 'step-finished', stepId: 'a', result: { kind: 'done' } });
  await t.journal.append({ at: 3, runId: 'r1', type: 'step-started', stepId: 'b' });
  const outcome = await abortRun({ ...t.base, now, runId: 'r1', reason: 'crashed, do not continue' });
  assert.equal(outcome.status, 'rolled-back');
  assert.deepEqual(t.rec.calls, ['undo:b', 'undo:a']);
});

test('after an irreversible step completes, a failure halts with next commands and undoes nothing', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'failed' };
  const steps = [testStep('a'), testStep('b', { reversible: false }), testStep('c'), testStep('d')];
  const halted = await t.start(steps);
  assert.equal(halted.status, 'halted');
  assert.equal(halted.failedStep, 'c');
  assert.match(halted.reason ?? '', /after the point of no return \(step b completed\).*nothing was undone/);
  assert.deepEqual(halted.next, ['baton resume r1', 'baton abort r1']);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);

  t.rec.script.c = {};
  const resumed = await resumeRun({ ...t.base, runId: 'r1' });
  assert.equal(resumed.status, 'succeeded');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c', 'run:c', 'run:d']);
});

test('abort after the point of no return ends aborted, leaves state as is and says so', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'throw' };
  await t.start([testStep('a'), testStep('b', { reversible: false }), testStep('c')]);
  const aborted = await abortRun({ ...t.base, runId: 'r1', reason: 'giving up' });
  assert.equal(aborted.status, 'aborted');
  assert.match(aborted.reason ?? '', /aborted after the point of no return \(step b completed\): giving up; nothing was undone/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
  await assert.rejects(abortRun({ ...t.base, runId: 'r1', reason: 'again' }), (e) => isBatonError(e) && e.code === 'RUN_FINISHED');
  assert.deepEqual(await resumeRun({ ...t.base, runId: 'r1' }), aborted, 'a finished run stays finished');
});

test('a failing irreversible step has not passed the point of no return: it and earlier steps are undone', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'failed' };
  const outcome = await t.start([testStep('a'), testStep('b', { reversible: false }), testStep('c')]);
  assert.equal(outcome.status, 'rolled-back');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
});

test('paused releases the lock; promote counts the step done and continues after it', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'paused' };
  const paused = await t.start();
  assert.equal(paused.status, 'paused');
  assert.equal(paused.pausedStep, 'b');
  assert.match(paused.reason ?? '', /step b needs a human: b wants a human/);
  assert.deepEqual(paused.next, ['baton promote r1', 'baton abort r1', 'baton resume r1']);
  assert.equal(t.lock.holderOf(target), undefined);

  const promoted = await promoteRun({ ...t.base, runId: 'r1' });
  assert.equal(promoted.status, 'succeeded');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
  await assert.rejects(promoteRun({ ...t.base, runId: 'r1' }), (e) => isBatonError(e) && e.code === 'NOT_PAUSED');
});

test('promoting an irreversible paused step passes the point of no return', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'paused' };
  t.rec.script.c = { run: 'failed' };
  await t.start([testStep('a'), testStep('b', { reversible: false }), testStep('c')]);
  const outcome = await promoteRun({ ...t.base, runId: 'r1' });
  assert.equal(outcome.status, 'halted');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
});

test('resume of a paused run runs the paused step again (resume never skips a human decision)', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'paused' };
  await t.start();
  t.rec.script.b = {};
  const outcome = await resumeRun({ ...t.base, runId: 'r1' });
  assert.equal(outcome.status, 'succeeded');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:b', 'run:c']);
});

test('abort of a paused run rolls back, the paused step included', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'paused' };
  await t.start();
  const outcome = await abortRun({ ...t.base, runId: 'r1', reason: 'canary looks bad' });
  assert.equal(outcome.status, 'rolled-back');
  assert.equal(outcome.reason, 'aborted: canary looks bad');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
});

test('the abort signal cancels the step in flight through ctx.signal, then rolls back', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'hang' };
  const controller = new AbortController();
  const running = t.start(undefined, { signal: controller.signal });
  await waitFor(() => t.rec.calls.includes('run:b'));
  controller.abort('SIGINT');
  const outcome = await running;
  assert.equal(outcome.status, 'rolled-back');
  assert.equal(outcome.reason, 'aborted: SIGINT');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
});

test('the abort signal after the point of no return halts without undoing anything', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'hang' };
  const controller = new AbortController();
  const running = t.start([testStep('a'), testStep('b', { reversible: false }), testStep('c')], { signal: controller.signal });
  await waitFor(() => t.rec.calls.includes('run:c'));
  controller.abort('SIGINT');
  const outcome = await running;
  assert.equal(outcome.status, 'halted');
  assert.match(outcome.reason ?? '', /interrupted after the point of no return \(step b completed\): SIGINT/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
  t.rec.script.c = {};
  assert.equal((await resumeRun({ ...t.base, runId: 'r1' })).status, 'succeeded');
});

test("an abort requested by another process cancels the live run's step and rolls back", { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'hang' };
  const running = t.start(undefined, { abortPollMs: 10 });
  await waitFor(() => t.rec.calls.includes('run:b'));
  await assert.rejects(abortRun({ ...t.base, runId: 'r1', reason: 'x' }), (e) => isBatonError(e) && e.code === 'LOCKED');
  await requestAbort({ journal: t.journal, runId: 'r1', reason: 'canary looks bad', by: 'dashboard' });
  const outcome = await running;
  assert.equal(outcome.status, 'rolled-back');
  assert.equal(outcome.reason, 'aborted: canary looks bad');
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a']);
  assert.ok(
    t.events.some((e) => e.type === 'abort-requested' && e.by === 'dashboard'),
    'listeners see the request',
  );
  await assert.rejects(
    requestAbort({ journal: t.journal, runId: 'r1', reason: 'again' }),
    (e) => isBatonError(e) && e.code === 'RUN_FINISHED',
  );
});

test('an abort requested after the point of no return ends the live run aborted, nothing undone', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.c = { run: 'hang' };
  const running = t.start([testStep('a'), testStep('b', { reversible: false }), testStep('c'), testStep('d')], { abortPollMs: 10 });
  await waitFor(() => t.rec.calls.includes('run:c'));
  await requestAbort({ journal: t.journal, runId: 'r1', reason: 'stop here' });
  const outcome = await running;
  assert.equal(outcome.status, 'aborted');
  assert.match(outcome.reason ?? '', /aborted after the point of no return \(step b completed\): stop here/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
});

test('a second run of the same app fails naming the holder; another app runs', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'hang' };
  const controller = new AbortController();
  const first = t.start(undefined, { signal: controller.signal });
  await waitFor(() => t.rec.calls.includes('run:b'));
  await assert.rejects(
    startRun({ ...t.base, holder: 'second', runId: 'r2', ...target, steps: [testStep('x')] }),
    (e) => isBatonError(e) && e.code === 'LOCKED' && /locked by tester since/.test(e.message),
  );
  await assert.rejects(resumeRun({ ...t.base, runId: 'r1' }), (e) => isBatonError(e) && e.code === 'LOCKED');
  const other = await startRun({ ...t.base, runId: 'r3', app: 'api', namespace: 'prod', steps: [testStep('x')] });
  assert.equal(other.status, 'succeeded');
  assert.deepEqual(await t.journal.read('r2'), [], 'the refused run wrote nothing');
  controller.abort('test over');
  await first;
});

test('RunContext: checkpoints are journaled and given to undo; results carry earlier data', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.a = { data: { backup: '/tmp/b.sql' } };
  t.rec.script.b = { checkpoint: { image: 'v1' } };
  t.rec.script.c = { run: 'failed' };
  await t.start();
  const runB = t.rec.observed.find((o) => o.call === 'run:b');
  assert.deepEqual(runB?.results, { a: { backup: '/tmp/b.sql' } });
  const undoB = t.rec.observed.find((o) => o.call === 'undo:b');
  assert.deepEqual(undoB?.undoCheckpoint, { image: 'v1' });
  assert.deepEqual(undoB?.checkpoints, { image: 'v1' });
  assert.ok((await t.types()).includes('step-checkpoint:b'));
});

test('RunContext: probe, clock and delay are the injected ones; identity fields are the run', { timeout: 5000 }, async () => {
  const t = setup();
  const probe = {
    stats: () => ({ requests: 1, failed: 0, streamsStarted: 0, streamsCut: 0, p50Ms: 1, p99Ms: 1, byVersion: {} }),
    window: () => {
      throw new Error('not used by this test');
    },
  };
  const delays: number[] = [];
  const seen: unknown[] = [];
  const looking = {
    kind: 'look',
    async run(ctx: import('./step.js').RunContext) {
      await ctx.delay(1234);
      seen.push(ctx.probe === probe, ctx.now(), ctx.runId, ctx.app, ctx.namespace, ctx.signal.aborted);
      return { kind: 'done' as const };
    },
  };
  const outcome = await startRun({
    ...t.base,
    registry: { look: looking },
    probe,
    now: () => 42,
    delay: async (ms: number) => void delays.push(ms),
    runId: 'r1',
    ...target,
    steps: [testStep('x', { kind: 'look' })],
  });
  assert.equal(outcome.status, 'succeeded');
  assert.deepEqual(delays, [1234]);
  assert.deepEqual(seen, [true, 42, 'r1', 'web', 'prod', false]);
  assert.ok(
    (await t.journal.read('r1')).every((e) => e.at === 42),
    'journal times come from the injected clock',
  );
});

test('a step run again after a halt sees its earlier checkpoints', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { checkpoint: { before: 'v1' }, run: 'failed' };
  await t.start([testStep('a', { reversible: false }), testStep('b')]);
  t.rec.script.b = {};
  await resumeRun({ ...t.base, runId: 'r1' });
  const runs = t.rec.observed.filter((o) => o.call === 'run:b');
  assert.deepEqual(
    runs.map((r) => r.checkpoints),
    [{}, { before: 'v1' }],
  );
});

test('invalid plans are refused before anything is written', { timeout: 5000 }, async () => {
  const t = setup();
  await assert.rejects(t.start([testStep('a'), testStep('a')]), (e) => isBatonError(e) && e.code === 'PLAN_INVALID');
  await assert.rejects(t.start([testStep('a', { kind: 'nope' })]), (e) => isBatonError(e) && /nope/.test(e.message));
  assert.deepEqual(await t.journal.read('r1'), []);
  await assert.rejects(resumeRun({ ...t.base, runId: 'missing' }), (e) => isBatonError(e) && e.code === 'RUN_NOT_FOUND');
});

test('a stopped run is not continued by a registry that lacks one of its kinds', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'paused' };
  await t.start();
  const before = await t.types();
  await assert.rejects(resumeRun({ ...t.base, registry: {}, runId: 'r1' }), (e) => isBatonError(e) && e.code === 'PLAN_INVALID');
  await assert.rejects(promoteRun({ ...t.base, registry: {}, runId: 'r1' }), (e) => isBatonError(e) && e.code === 'PLAN_INVALID');
  assert.deepEqual(await t.types(), before, 'nothing written');
  assert.equal(t.lock.holderOf(target), undefined);
});

test('a listener that throws does not break the run', { timeout: 5000 }, async () => {
  const t = setup();
  const outcome = await t.start(undefined, {
    onEvent: () => {
      throw new Error('ui broke');
    },
  });
  assert.equal(outcome.status, 'succeeded');
});

test('losing the lock cancels the step and stops the run without writing more', { timeout: 5000 }, async () => {
  const t = setup();
  t.rec.script.b = { run: 'hang' };
  const lostLock = {
    acquire: async () => ({
      renew: async () => {
        throw Object.assign(new Error('lease taken by someone else'), { code: 'LOCK_LOST' });
      },
      release: async () => undefined,
    }),
  };
  await assert.rejects(t.start(undefined, { lock: lostLock, lockRenewMs: 20 }), /lease taken by someone else/);
  assert.deepEqual(t.rec.calls, ['run:a', 'run:b']);
  assert.deepEqual((await t.types()).slice(-1), ['step-started:b'], 'nothing written after the loss');
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition not reached');
}
