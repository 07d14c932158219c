import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Release } from '../../controller/release.js';
import { progressLine } from './release-view.js';

const release = (currentStep: NonNullable<Release['status']>['currentStep']): Release => ({
  apiVersion: 'baton.dev/v1alpha1',
  kind: 'Release',
  metadata: { name: 'demo-canary', namespace: 'default' },
  spec: { upgrade: { app: 'demo' }, inputs: [] },
  status: {
    phase: 'Running',
    ...(currentStep ? { currentStep } : {}),
    probe: {
      target: 't',
      requests: 120,
      failed: 0,
      streamsStarted: 0,
      streamsCut: 0,
      writes: 0,
      lostWrites: 0,
      byVersion: {},
      segments: [],
    },
  },
});

test('following a Release: the line says what the running step waits for', () => {
  const waiting = release({
    id: 'weight:25',
    title: 't',
    kind: 'set-weight',
    progress: 'Deployment demo-canary: 0 ready, wants 1; pod demo-canary-x container app: ContainerCreating',
  });
  assert.equal(
    progressLine(waiting),
    'demo-canary: Running step weight:25 (Deployment demo-canary: 0 ready, wants 1; pod demo-canary-x container app: ContainerCreating) probe 0/120 failed, 0 streams cut',
  );
  assert.equal(
    progressLine(release({ id: 'weight:25', title: 't', kind: 'set-weight' })),
    'demo-canary: Running step weight:25 probe 0/120 failed, 0 streams cut',
  );
});
