import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('image-tag-unpinned: latest and no tag; registry ports and digests are fine', { timeout: 30_000 }, () => {
  assert.deepEqual(findingsOf('image-tag-unpinned', edited('web:1.4.2', 'web:latest')).at, ['error@21']);
  assert.deepEqual(findingsOf('image-tag-unpinned', edited('web:1.4.2', 'web')).at, ['error@21']);
  assert.deepEqual(findingsOf('image-tag-unpinned', edited('web:1.4.2', 'web@sha256:0123456789abcdef')).at, []);
  assert.deepEqual(findingsOf('image-tag-unpinned', goodManifest).at, []);
});
