import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('prestop-exceeds-grace: native sleep and exec sleep', { timeout: 30_000 }, () => {
  assert.deepEqual(findingsOf('prestop-exceeds-grace', edited('sleep: {seconds: 5}', 'sleep: {seconds: 30}')).at, ['error@29']);
  const exec = edited(
    'sleep: {seconds: 5}',
    'exec: {command: ["/bin/sh", "-c", "sleep 20"]}',
    edited('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 10'),
  );
  assert.deepEqual(findingsOf('prestop-exceeds-grace', exec).at, ['error@29']);
  // No terminationGracePeriodSeconds: Kubernetes' 30 s default applies, and 5 < 30.
  assert.deepEqual(findingsOf('prestop-exceeds-grace', edited('      terminationGracePeriodSeconds: 30\n', '')).at, []);
  assert.deepEqual(findingsOf('prestop-exceeds-grace', goodManifest).at, []);
});
