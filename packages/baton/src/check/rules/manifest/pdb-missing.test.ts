import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, goodManifest } from './manifest-examples.js';

test('pdb-missing: multi-replica Deployment with no PodDisruptionBudget selecting it', { timeout: 30_000 }, () => {
  const withoutPdb = goodManifest.slice(0, goodManifest.indexOf('---'));
  assert.deepEqual(findingsOf('pdb-missing', withoutPdb).at, ['warning@6']);
  const otherSelector =
    goodManifest.slice(0, goodManifest.indexOf('---')) +
    goodManifest.slice(goodManifest.indexOf('---')).replace('{app: web}', '{app: api}');
  assert.deepEqual(findingsOf('pdb-missing', otherSelector).at, ['warning@6']);
  assert.deepEqual(findingsOf('pdb-missing', goodManifest).at, []);
});
