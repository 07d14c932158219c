import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAfterExit } from './exit-decision.js';
import type { ExitFacts } from './exit-decision.js';

const base: ExitFacts = {
  restartPolicy: 'Always',
  exitCode: 0,
  isInit: false,
  isSidecar: false,
  done: false,
  specChanged: false,
  podStopping: false,
};
const d = (f: Partial<ExitFacts>): string => decideAfterExit({ ...base, ...f }).kind;

test('restartPolicy for containers', () => {
  assert.equal(d({ restartPolicy: 'Always', exitCode: 0 }), 'restart');
  assert.equal(d({ restartPolicy: 'OnFailure', exitCode: 0 }), 'finished');
  assert.equal(d({ restartPolicy: 'OnFailure', exitCode: 1 }), 'restart');
  assert.equal(d({ restartPolicy: 'Never', exitCode: 1 }), 'finished');
  assert.equal(d({ restartPolicy: 'Never', exitCode: 1, specChanged: true }), 'restart');
  assert.equal(d({ podStopping: true }), 'stopped');
});

test('init containers and sidecars', () => {
  assert.deepEqual(decideAfterExit({ ...base, isInit: true, exitCode: 0 }), { kind: 'finished', completed: true, failsPod: false });
  assert.equal(d({ isInit: true, exitCode: 1, restartPolicy: 'Always' }), 'restart');
  assert.deepEqual(decideAfterExit({ ...base, isInit: true, exitCode: 1, restartPolicy: 'Never' }), {
    kind: 'finished',
    completed: false,
    failsPod: true,
  });
  assert.equal(d({ isInit: true, isSidecar: true, exitCode: 0, restartPolicy: 'Never' }), 'restart');
  assert.equal(d({ isInit: true, isSidecar: true, done: true }), 'stopped');
});
