import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('resource-requests-missing is info', { timeout: 30_000 }, () => {
  assert.deepEqual(
    findingsOf('resource-requests-missing', edited('          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n', '')).at,
    ['info@20'],
  );
  assert.deepEqual(findingsOf('resource-requests-missing', goodManifest).at, []);
});
