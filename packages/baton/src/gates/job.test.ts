import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';
import { createJobGateFactory } from './job.js';

const env = { startedAt: 0 };
const gate = createJobGateFactory(undefined);

test('job gate (command): exit 0 passes with the output, BATON_RELEASE and env are passed', { timeout: 10_000 }, async () => {
  const v = await gate(
    {
      kind: 'job',
      release: 'v7',
      env: { EXTRA: 'x' },
      command: [process.execPath, '-e', 'console.log(`release ${process.env.BATON_RELEASE} ${process.env.EXTRA}`)'],
    },
    env,
  ).evaluate(createTestRunContext());
  assert.equal(v.kind, 'pass', JSON.stringify(v));
  assert.match(v.kind === 'pass' ? (v.detail ?? '') : '', /release v7 x/);
});

test('job gate (command): a non-zero exit fails with the exit code and the output', { timeout: 10_000 }, async () => {
  const v = await gate(
    { kind: 'job', command: [process.execPath, '-e', 'console.error("assertion: expected 200, got 500"); process.exit(3)'] },
    env,
  ).evaluate(createTestRunContext());
  assert.equal(v.kind, 'fail');
  assert.match(v.kind === 'fail' ? v.reason : '', /exited 3[\s\S]*expected 200, got 500/);
});

test('job gate (command): a test that outlives its timeout is killed and fails', { timeout: 10_000 }, async () => {
  const started = Date.now();
  const v = await gate(
    { kind: 'job', timeoutSeconds: 0.5, command: [process.execPath, '-e', 'setTimeout(() => {}, 60_000)'] },
    env,
  ).evaluate(createTestRunContext());
  assert.equal(v.kind, 'fail');
  assert.match(v.kind === 'fail' ? v.reason : '', /killed.*timeout/);
  assert.ok(Date.now() - started < 5000);
});

test('job gate: a missing program fails (not inconclusive), exactly one of job/command', { timeout: 10_000 }, async () => {
  const v = await gate({ kind: 'job', command: ['/nonexistent/baton-test-binary'] }, env).evaluate(createTestRunContext());
  assert.equal(v.kind, 'fail');
  assert.throws(
    () => gate({ kind: 'job' }, env),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
  const noCluster = await gate({ kind: 'job', job: { template: { spec: { containers: [] } } } }, env).evaluate(createTestRunContext());
  assert.equal(noCluster.kind, 'fail');
});
