import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('probe-port-mismatch: unknown port name or undeclared number', { timeout: 30_000 }, () => {
  assert.deepEqual(findingsOf('probe-port-mismatch', edited('{path: /ready, port: http}', '{path: /ready, port: web}')).at, ['error@25']);
  const { at, findings } = findingsOf('probe-port-mismatch', edited('{path: /health, port: http}', '{path: /health, port: 9090}'));
  assert.deepEqual(at, ['error@27']);
  assert.match(findings[0]?.message ?? '', /livenessProbe of container web .* port 9090/);
  assert.deepEqual(findingsOf('probe-port-mismatch', edited('{path: /health, port: http}', '{path: /health, port: 8080}')).at, []);
  assert.deepEqual(findingsOf('probe-port-mismatch', goodManifest).at, []);
});
