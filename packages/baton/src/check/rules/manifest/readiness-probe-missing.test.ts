import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('readiness-probe-missing points at the container', { timeout: 30_000 }, () => {
  const yaml = edited('          readinessProbe:\n            httpGet: {path: /ready, port: http}\n', '');
  const { at, findings } = findingsOf('readiness-probe-missing', yaml);
  assert.deepEqual(at, ['error@20']);
  assert.match(findings[0]?.message ?? '', /container web of Deployment web/);
  assert.deepEqual(findingsOf('readiness-probe-missing', goodManifest).at, []);
});
