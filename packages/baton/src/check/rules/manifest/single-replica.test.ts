import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('single-replica: explicit 1 and the default', { timeout: 30_000 }, () => {
  assert.deepEqual(findingsOf('single-replica', edited('  replicas: 2', '  replicas: 1')).at, ['warning@6']);
  // replicas omitted: Kubernetes defaults to 1; the finding points at spec.
  assert.deepEqual(findingsOf('single-replica', edited('  replicas: 2\n', '')).at, ['warning@5']);
  assert.deepEqual(findingsOf('single-replica', goodManifest).at, []);
});
