// pause and retry as use cases, on the in-memory journal with recording steps (kubesim serves
// only the client the ports carry: no step here talks to it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRun } from '../engine/engine.js';
import { MemoryJournal } from '../engine/memory-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { createRecordingKind, holdStep, testStep } from '../engine/testing/recording-step-kind.js';
import { isBatonError } from '../errors.js';
import { useApiOnlyCluster } from '../testing/api-only-cluster.js';
import { pause } from './pause.js';
import { promote } from './resume.js';
import { retry } from './retry.js';
import type { OperationPorts } from './ports.js';

const target = { app: 'web', namespace: 'default' };

describe('pause and retry (in-memory journal)', { timeout: 60_000 }, () => {
  const kube = useApiOnlyCluster();

  function setup() {
    const journal = new MemoryJournal();
    const lock = new MemoryLock();
    const rec = createRecordingKind();
    const gate = createRecordingKind('gate');
    const notices: string[] = [];
    const ports = (): OperationPorts => ({
      kube: kube(),
      journal,
      lock,
      registry: { test: rec.kind, gate: gate.kind },
      holder: 'operator',
      onNotice: (m) => notices.push(m),
    });
    const start = (runId: string, steps = ['a', 'b', 'c'].map((id) => testStep(id)), extra: { maxSteps?: number } = {}) =>
      startRun({ journal, lock, registry: { test: rec.kind, gate: gate.kind }, holder: 'the upgrade', runId, ...target, steps, ...extra });
    return { journal, lock, rec, gate, notices, ports, start };
  }

  test('pause of a live run: requested, then already requested; it stops after the step in flight; promote finishes it', async () => {
    const t = setup();
    const b = holdStep(t.rec.script, 'b');
    const running = t.start('r1');
    await b.started;

    assert.deepEqual(await pause({ runId: 'r1', reason: 'look first' }, t.ports()), {
      kind: 'requested',
      runId: 'r1',
      holder: 'the upgrade',
      inFlight: 'b',
    });
    assert.deepEqual(await pause({ runId: 'r1', reason: 'again' }, t.ports()), {
      kind: 'already-requested',
      runId: 'r1',
      holder: 'the upgrade',
      requestedBy: 'operator',
    });
    b.finish();
    const paused = await running;
    assert.equal(paused.status, 'paused');
    assert.deepEqual(t.rec.calls, ['run:a', 'run:b']);
    const again = await pause({ runId: 'r1', reason: 'x' }, t.ports());
    assert.equal(again.kind, 'already-paused');
    assert.match(
      again.kind === 'already-paused' ? (again.reason ?? '') : '',
      /paused before step c at the request of operator: look first/,
    );

    const done = await promote({ runId: 'r1' }, t.ports());
    assert.equal(done.outcome.status, 'succeeded');
    assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:c']);
  });

  test('pause of a run no process runs is refused with what to run instead', async () => {
    const t = setup();
    await t.start('r1', undefined, { maxSteps: 1 }); // stops "running", the lock released: a crash
    await assert.rejects(
      pause({ runId: 'r1', reason: 'x' }, t.ports()),
      (e) => isBatonError(e) && e.code === 'NOT_RUNNING' && /is not live/.test(e.message) && /baton resume r1/.test(e.hint ?? ''),
    );
    assert.ok(!(await t.journal.read('r1')).some((e) => e.type === 'pause-requested'), 'nothing was written');
    await assert.rejects(pause({ runId: 'missing', reason: 'x' }, t.ports()), (e) => isBatonError(e) && e.code === 'RUN_NOT_FOUND');
  });

  test('retry of a run halted after the point of no return runs the failed step again and finishes the run', async () => {
    const t = setup();
    t.rec.script.b = { run: 'failed' };
    const halted = await t.start('r1', [testStep('a', { reversible: false }), testStep('b'), testStep('c')]);
    assert.equal(halted.status, 'halted');
    t.rec.script.b = {};
    const result = await retry({ runId: 'r1' }, t.ports());
    assert.equal(result.outcome.status, 'succeeded');
    assert.equal(result.ok, true);
    assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'run:b', 'run:c']);
    assert.deepEqual(result.retried, { kind: 'step', stepId: 'b', title: 'test step b', reason: 'b said no' });
    assert.match(t.notices.join('\n'), /retrying step b \(test step b\), then the steps after it; it stopped with: b said no/);
  });

  test('retry of a rollback stopped by an undo that threw runs that undo again and ends rolled back', async () => {
    const t = setup();
    t.rec.script.a = { undo: 'throw' };
    t.rec.script.b = { run: 'failed' };
    assert.equal((await t.start('r1', [testStep('a'), testStep('b')])).status, 'halted');
    t.rec.script.a = {};
    const result = await retry({ runId: 'r1' }, t.ports());
    assert.equal(result.outcome.status, 'rolled-back');
    assert.deepEqual(result.retried.kind, 'undo');
    assert.deepEqual(t.rec.calls, ['run:a', 'run:b', 'undo:b', 'undo:a', 'undo:a']);
  });

  test('retry of a gate that paused undecided runs the gate again', async () => {
    const t = setup();
    t.gate.script.analysis = { run: 'paused' };
    const steps = [testStep('a'), testStep('analysis', { kind: 'gate' }), testStep('c')];
    assert.equal((await t.start('r1', steps)).status, 'paused');
    t.gate.script.analysis = {};
    const result = await retry({ runId: 'r1' }, t.ports());
    assert.equal(result.outcome.status, 'succeeded');
    assert.equal(result.retried.kind, 'gate');
    assert.deepEqual([...t.rec.calls, ...t.gate.calls], ['run:a', 'run:c', 'run:analysis', 'run:analysis']);
  });

  test('retry refuses what it cannot retry and names the verb that fits; nothing is run', async () => {
    const t = setup();
    const refused = async (runId: string, code: string, message: RegExp, hint: RegExp) =>
      assert.rejects(
        retry({ runId }, t.ports()),
        (e) => isBatonError(e) && e.code === code && message.test(e.message) && hint.test(e.hint ?? ''),
      );
    await t.start('ok');
    await refused('ok', 'RUN_FINISHED', /run ok succeeded: there is nothing to retry/, /baton rollback/);
    t.rec.script.b = { run: 'failed' };
    await t.start('back');
    await refused('back', 'RUN_FINISHED', /ended rolled-back/, /baton upgrade/);
    t.rec.script.b = { run: 'paused' };
    await t.start('waiting');
    await refused('waiting', 'NOT_HALTED', /paused at step b waiting for a human/, /baton promote waiting/);
    t.rec.script.b = {};
    await t.start('crashed', undefined, { maxSteps: 1 });
    await refused('crashed', 'NOT_HALTED', /was interrupted/, /baton resume crashed/);
    const calls = t.rec.calls.length;

    const b = holdStep(t.rec.script, 'b');
    const live = t.start('live');
    await b.started;
    await refused('live', 'NOT_HALTED', /is running \(the upgrade\)/, /baton pause live/);
    b.finish();
    assert.equal((await live).status, 'succeeded');
    assert.deepEqual(t.rec.calls.slice(calls), ['run:a', 'run:b', 'run:c'], 'only the live run ran steps');
  });
});
