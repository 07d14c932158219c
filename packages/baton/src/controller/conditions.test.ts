import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withProbeFigures } from './conditions.js';
import type { ProbeStatus, ReleaseStatus } from './release.js';

const figures = (requests: number, failed = 0): ProbeStatus => ({
  target: 'http://demo.default.svc',
  requests,
  failed,
  streamsStarted: 0,
  streamsCut: 0,
  writes: 0,
  lostWrites: 0,
  byVersion: { v1: requests },
  segments: [],
});
const probeClean = (s: ReleaseStatus) => s.conditions?.find((c) => c.type === 'ProbeClean');

test('ProbeClean reads the latest probe figures on every write, not the first ones', () => {
  const early = withProbeFigures({ phase: 'Running' }, figures(40), Date.parse('2026-12-02T10:00:00Z'));
  assert.equal(probeClean(early)?.message, '0/40 requests failed, 0 streams cut, 0 writes lost');
  const later = withProbeFigures(early, figures(2400), Date.parse('2026-12-02T10:02:00Z'));
  assert.equal(later.probe?.requests, 2400);
  assert.equal(probeClean(later)?.message, '0/2400 requests failed, 0 streams cut, 0 writes lost');
  assert.equal(probeClean(later)?.lastTransitionTime, '2026-12-02T10:00:00.000Z', 'still clean: the transition time stays');
  assert.equal(later.conditions?.filter((c) => c.type === 'ProbeClean').length, 1);
});

test('ProbeClean turns False with the failures counted, and says when it flipped', () => {
  const clean = withProbeFigures({}, figures(100), Date.parse('2026-12-02T10:00:00Z'));
  const lost = withProbeFigures(clean, figures(180, 3), Date.parse('2026-12-02T10:00:30Z'));
  assert.deepEqual(
    { ...probeClean(lost) },
    {
      type: 'ProbeClean',
      status: 'False',
      reason: 'ClientsLost',
      message: '3/180 requests failed, 0 streams cut, 0 writes lost',
      lastTransitionTime: '2026-12-02T10:00:30.000Z',
    },
  );
});
