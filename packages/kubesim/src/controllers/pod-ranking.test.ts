import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { podsToDelete } from './pod-ranking.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();

function pod(
  name: string,
  o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; restarts?: number; createdAgo?: number; cost?: string } = {},
): V1Pod {
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: ago(o.createdAgo ?? 1000) as unknown as Date,
      annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : {},
    },
    spec: { nodeName: o.node ?? 'n1', containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: ago(o.readyAgo ?? 500) as unknown as Date },
      ],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: o.ready !== false, restartCount: o.restarts ?? 0 }],
    },
  };
}

const order = (pods: V1Pod[], related: V1Pod[] = pods): string[] =>
  podsToDelete(pods, related, pods.length - 1, NOW).map((p) => p.metadata!.name!);

test('deletion ranking follows Kubernetes: each rule decides when the earlier ones tie', () => {
  assert.deepEqual(order([pod('assigned'), pod('unassigned', { node: '' }), pod('x')]).slice(0, 1), ['unassigned']);
  assert.deepEqual(order([pod('running'), pod('pending', { phase: 'Pending' }), pod('unknown', { phase: 'Unknown' })]), [
    'pending',
    'unknown',
  ]);
  assert.deepEqual(order([pod('ready'), pod('notready', { ready: false }), pod('r2')]).slice(0, 1), ['notready']);
  assert.deepEqual(order([pod('cheap', { cost: '-5' }), pod('dear', { cost: '10' }), pod('zero')]), ['cheap', 'zero']);
  // Doubled up on a node goes first.
  const spread = [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2' })];
  assert.deepEqual(
    podsToDelete(spread, spread, 1, NOW).map((p) => p.metadata!.name),
    ['b'],
  );
  // More recently ready first (log2 buckets: 10 s and 1000 s are far apart).
  assert.deepEqual(order([pod('old', { readyAgo: 1000 }), pod('fresh', { readyAgo: 10 }), pod('mid', { readyAgo: 100 })]), [
    'fresh',
    'mid',
  ]);
  // Same ready bucket: more restarts first.
  assert.deepEqual(order([pod('calm', { restarts: 0 }), pod('flappy', { restarts: 4 }), pod('calm2', { restarts: 1 })]), [
    'flappy',
    'calm2',
  ]);
  // Same everything but age: newer first.
  assert.deepEqual(order([pod('older', { createdAgo: 5000 }), pod('newer', { createdAgo: 20 }), pod('oldest', { createdAgo: 90000 })]), [
    'newer',
    'older',
  ]);
});

test('asking for as many pods as exist returns them all unranked', () => {
  const pods = [pod('a'), pod('b')];
  assert.equal(podsToDelete(pods, pods, 5, NOW).length, 2);
});
