import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

test('rolling-update-capacity: zero serving pods is an error, a capacity drop a warning', { timeout: 30_000 }, () => {
  const single = edited(
    '  replicas: 2',
    '  replicas: 1',
    edited('maxUnavailable: 0\n      maxSurge: 1', 'maxUnavailable: 1\n      maxSurge: 1'),
  );
  assert.deepEqual(findingsOf('rolling-update-capacity', single).at, ['error@10']);
  const drop = edited('  replicas: 2', '  replicas: 4', edited('maxUnavailable: 0', 'maxUnavailable: 50%'));
  const { at, findings } = findingsOf('rolling-update-capacity', drop);
  assert.deepEqual(at, ['warning@10']);
  assert.match(findings[0]?.message ?? '', /2\/4 pods/);
  // Defaults (25%/25%) with 2 replicas: floor(0.5) = 0 unavailable, so no finding.
  const defaults = edited('    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n', '');
  assert.deepEqual(findingsOf('rolling-update-capacity', defaults).at, []);
  assert.deepEqual(findingsOf('rolling-update-capacity', goodManifest).at, []);
});
