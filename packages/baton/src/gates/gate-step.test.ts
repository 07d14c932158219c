import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../json.js';
import type { PlannedStep, StepResult } from '../engine/step.js';
import type { GateVerdict } from './gate.js';
import type { GateFactory } from './gate-factory.js';
import { createGateStepKind } from './gate-step.js';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';
import { startRun, promoteRun } from '../engine/engine.js';
import { MemoryJournal } from '../engine/memory-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';

/** A gate answering from a list, then repeating its last verdict. Records its env. */
function scripted(verdicts: GateVerdict[]) {
  const seen: { startedAt: number; config: JsonObject }[] = [];
  let i = 0;
  const factory: GateFactory = (config, env) => {
    seen.push({ startedAt: env.startedAt, config });
    return {
      name: 'scripted',
      evaluate: async () => verdicts[Math.min(i++, verdicts.length - 1)] as GateVerdict,
    };
  };
  return { factory, seen, evaluations: () => i };
}

function gateStep(params: JsonObject): PlannedStep {
  return { id: 'gate:1', kind: 'gate', title: 'gate', reversible: true, params: { gate: { kind: 'scripted' }, ...params } };
}

async function runGate(verdicts: GateVerdict[], params: JsonObject) {
  const s = scripted(verdicts);
  const kind = createGateStepKind({ factories: { scripted: s.factory } });
  const ctx = createTestRunContext();
  const result: StepResult = await kind.run(ctx, gateStep(params));
  return { result, ctx, s };
}

const pass: GateVerdict = { kind: 'pass' };
const fail: GateVerdict = { kind: 'fail', reason: 'error rate 5%' };
const unsure: GateVerdict = { kind: 'inconclusive', reason: 'too few requests' };

test('passes after `count` passing evaluations, pausing intervalMs between them', { timeout: 5000 }, async () => {
  const { result, ctx, s } = await runGate([pass], { count: 3, intervalMs: 1000 });
  assert.deepEqual(result, { kind: 'done', data: { gate: 'scripted', passes: 3, failures: 0, evaluations: 3 } });
  assert.deepEqual(ctx.delays, [1000, 1000]);
  assert.equal(s.seen[0]?.startedAt, 1_000_000, 'the gate learns when the step started');
  assert.deepEqual(s.seen[0]?.config, { kind: 'scripted' });
});

test('fails once failures exceed failureLimit', { timeout: 5000 }, async () => {
  const { result } = await runGate([fail, pass, fail], { count: 3, failureLimit: 1, intervalMs: 10 });
  assert.equal(result.kind, 'failed');
  assert.match((result as { reason: string }).reason, /gate scripted failed: error rate 5%/);
  const zero = await runGate([fail], {});
  assert.equal(zero.result.kind, 'failed', 'default limit 0: the first failure fails');
});

test('inconclusive until the timeout pauses for a human by default, never passes', { timeout: 5000 }, async () => {
  const { result, s } = await runGate([unsure], { intervalMs: 1000, timeoutMs: 5000 });
  assert.equal(result.kind, 'paused');
  assert.match(
    (result as { reason: string }).reason,
    /not settled within 5000 ms \(0\/1 passes, 0 failures; last unsettled verdict: inconclusive: too few requests\)/,
  );
  assert.equal(s.evaluations(), 6, 'at 0, 1, 2, 3, 4 and 5 s');
  const failing = await runGate([unsure], { intervalMs: 1000, timeoutMs: 5000, inconclusive: 'fail' });
  assert.equal(failing.result.kind, 'failed');
});

test('an inconclusive verdict that settles before the timeout counts normally', { timeout: 5000 }, async () => {
  const { result } = await runGate([unsure, unsure, pass], { intervalMs: 1000, timeoutMs: 60_000 });
  assert.equal(result.kind, 'done');
});

test('too few passes by the timeout is inconclusive too', { timeout: 5000 }, async () => {
  const { result } = await runGate([pass], { count: 10, intervalMs: 1000, timeoutMs: 3000 });
  assert.equal(result.kind, 'paused');
  assert.match((result as { reason: string }).reason, /4\/10 passes/);
});

test('wait verdicts retry after retryAfterMs and do not count', { timeout: 5000 }, async () => {
  const { result, ctx } = await runGate([{ kind: 'wait', retryAfterMs: 250 }, { kind: 'wait', retryAfterMs: 500 }, pass], {
    intervalMs: 1000,
  });
  assert.equal(result.kind, 'done');
  assert.deepEqual(ctx.delays, [250, 500]);
});

test('bad params and unknown gate kinds throw GATE_INVALID', { timeout: 5000 }, async () => {
  const kind = createGateStepKind({ factories: {} });
  const ctx = createTestRunContext();
  await assert.rejects(kind.run(ctx, gateStep({})), (e) => isBatonError(e) && e.code === 'GATE_INVALID' && /scripted/.test(e.message));
  await assert.rejects(
    kind.run(ctx, gateStep({ count: 0, surprise: true })),
    (e) => isBatonError(e) && /count/.test(e.message) && /surprise/.test(e.message),
  );
});

test('in a run: an inconclusive gate pauses, promote continues past it', { timeout: 5000 }, async () => {
  const s = scripted([unsure]);
  const registry = { gate: createGateStepKind({ factories: { scripted: s.factory } }) };
  let now = 0;
  const base = {
    journal: new MemoryJournal(),
    lock: new MemoryLock(),
    registry,
    now: () => now,
    delay: async (ms: number) => void (now += ms),
  };
  const outcome = await startRun({
    ...base,
    runId: 'r',
    app: 'web',
    namespace: 'test',
    steps: [gateStep({ intervalMs: 100, timeoutMs: 1000 })],
  });
  assert.equal(outcome.status, 'paused');
  assert.equal(outcome.pausedStep, 'gate:1');
  assert.equal((await promoteRun({ ...base, runId: 'r' })).status, 'succeeded');
});
