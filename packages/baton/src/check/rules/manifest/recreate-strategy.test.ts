import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('recreate-strategy', { timeout: 30_000 }, () => {
  const yaml = edited('    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n', '    type: Recreate\n');
  assert.deepEqual(findingsOf('recreate-strategy', yaml).at, ['error@8']);
  assert.deepEqual(findingsOf('recreate-strategy', goodManifest).at, []);
});
