import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('liveness-equals-readiness: same endpoint and no longer window', { timeout: 30_000 }, () => {
  assert.deepEqual(findingsOf('liveness-equals-readiness', edited('{path: /health, port: http}', '{path: /ready, port: http}')).at, [
    'warning@26',
  ]);
  const patient = edited('{path: /health, port: http}', '{path: /ready, port: http}\n            failureThreshold: 6');
  assert.deepEqual(findingsOf('liveness-equals-readiness', patient).at, []);
  assert.deepEqual(findingsOf('liveness-equals-readiness', goodManifest).at, []);
});
