import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../../manifests/load-manifests.js';
import { lintManifests } from '../../check-manifests.js';
import { goodManifest } from './manifest-examples.js';

test('the reference manifest passes every manifest rule', { timeout: 30_000 }, () => {
  assert.deepEqual(lintManifests(parseManifestText(goodManifest, 'app.yaml')), []);
});
