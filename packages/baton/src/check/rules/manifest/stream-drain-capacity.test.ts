import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drainSchema } from '../../../spec/schema.js';
import { edited, findingsOf, goodManifest } from './manifest-examples.js';

const drain = (o: Record<string, unknown>) => ({ drain: drainSchema.parse(o) });

test('stream-drain-capacity: a 120 s stream needs deadline + grace - preStop >= 120', { timeout: 30_000 }, () => {
  // grace 30, preStop 5: the pod itself holds 25 s after SIGTERM; a deadline of 90 s reaches 115 < 120.
  const short = findingsOf('stream-drain-capacity', goodManifest, drain({ deadlineSeconds: 90, maxStreamSeconds: 120 }));
  assert.deepEqual(short.at, ['warning@18']);
  assert.match(short.findings[0]?.message ?? '', /up to 120s but can hold one for at most 115s/);
  assert.match(short.findings[0]?.hint ?? '', /at least 95/);
  assert.deepEqual(findingsOf('stream-drain-capacity', goodManifest, drain({ deadlineSeconds: 95, maxStreamSeconds: 120 })).at, []);
  // Without a spec (or without a drain) the rule has nothing to judge.
  assert.deepEqual(findingsOf('stream-drain-capacity', goodManifest).at, []);
});

test('stream-drain-capacity: a drain deadline shorter than the grace period', { timeout: 30_000 }, () => {
  const hit = findingsOf(
    'stream-drain-capacity',
    edited('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 60'),
    drain({ deadlineSeconds: 45 }),
  );
  assert.deepEqual(hit.at, ['warning@18']);
  assert.match(hit.findings[0]?.message ?? '', /deadlineSeconds \(45\) is shorter than the grace period of Deployment web \(60s\)/);
});
