import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('workload-selector-mismatch', { timeout: 30_000 }, () => {
  assert.deepEqual(
    findingsOf('workload-selector-mismatch', edited('    matchLabels: {app: web}\n  template:', '    matchLabels: {app: api}\n  template:'))
      .at,
    ['error@13'],
  );
  assert.deepEqual(findingsOf('workload-selector-mismatch', goodManifest).at, []);
});
