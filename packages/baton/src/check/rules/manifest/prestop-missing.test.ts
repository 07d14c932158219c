import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('prestop-missing', { timeout: 30_000 }, () => {
  const yaml = edited('          lifecycle:\n            preStop:\n              sleep: {seconds: 5}\n', '');
  assert.deepEqual(findingsOf('prestop-missing', yaml).at, ['warning@20']);
  assert.deepEqual(findingsOf('prestop-missing', goodManifest).at, []);
});
