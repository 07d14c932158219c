import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import {
  MAX_REPLICAS_ANNOTATION,
  maxScaledDown,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  planCleanupUnhealthy,
  planProportionalScale,
  planScaleDownOld,
  resolveFenceposts,
  sumAvailable,
  sumSpec,
} from './rolling-math.js';
import type { IntOrPercent } from './int-or-percent.js';
import { scaledValue } from './int-or-percent.js';

function dep(replicas: number, surge: IntOrPercent, unavailable: IntOrPercent, type = 'RollingUpdate'): V1Deployment {
  return {
    metadata: { name: 'd', generation: 1 },
    spec: { replicas, selector: {}, template: {}, strategy: { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
  };
}

let seq = 0;
function rs(name: string, replicas: number, available = replicas, maxAnn?: number): V1ReplicaSet {
  seq++;
  return {
    metadata: {
      name,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      annotations: maxAnn === undefined ? {} : { [MAX_REPLICAS_ANNOTATION]: String(maxAnn) },
    },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

test('scaledValue: integers pass through, percentages round in the asked direction', () => {
  assert.equal(scaledValue(3, 10, true), 3);
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue('0%', 10, true), 0);
  assert.equal(scaledValue('100%', 7, false), 7);
  assert.throws(() => scaledValue('3', 10, true), /not a percentage/);
});

test('fenceposts for replicas 1..10 with the 25%/25% defaults: surge = ceil, unavailable = floor', () => {
  for (let r = 1; r <= 10; r++) {
    assert.deepEqual(resolveFenceposts(dep(r, '25%', '25%')), { surge: Math.ceil(r / 4), unavailable: Math.floor(r / 4) }, `replicas=${r}`);
  }
});

test('fenceposts table: integers, percentages, and both-zero becomes unavailable 1', () => {
  const cases: Array<[number, IntOrPercent, IntOrPercent, number, number]> = [
    [10, 3, 2, 3, 2],
    [10, '30%', '30%', 3, 3],
    [3, 0, 0, 0, 1],
    [5, 0, '10%', 0, 1], // floor(0.5) = 0, and 0/0 is not allowed to stall the rollout
    [5, '10%', 0, 1, 0], // ceil(0.5) = 1
    [1, 0, '25%', 0, 1],
    [4, 1, 0, 1, 0],
    [2, '50%', '50%', 1, 1],
    [7, '100%', '0%', 7, 0],
    [0, '25%', '25%', 0, 1],
  ];
  for (const [r, s, u, es, eu] of cases) {
    assert.deepEqual(resolveFenceposts(dep(r, s, u)), { surge: es, unavailable: eu }, `replicas=${r} surge=${s} unavailable=${u}`);
  }
});

test('maxUnavailable is clamped to replicas and 0 for Recreate; maxSurge 0 for Recreate', () => {
  assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
  assert.equal(maxUnavailable(dep(0, 0, 5)), 0);
  assert.equal(maxUnavailable(dep(5, 1, 1, 'Recreate')), 0);
  assert.equal(maxSurge(dep(5, 1, 1, 'Recreate')), 0);
});

test('newRSNewReplicas grows the new ReplicaSet only within maxSurge', () => {
  const d = dep(10, 3, 2);
  const old = rs('old', 10);
  const n = rs('new', 0);
  assert.equal(newRSNewReplicas(d, [old, n], n), 3);
  const n2 = rs('new2', 3);
  assert.equal(newRSNewReplicas(d, [rs('o', 10), n2], n2), 3, 'already at 13 = 10 + 3');
  const n3 = rs('new3', 5);
  assert.equal(newRSNewReplicas(d, [rs('o', 5), n3], n3), 8, 'room for 3 more');
  const n4 = rs('new4', 9);
  assert.equal(newRSNewReplicas(d, [rs('o', 0), n4], n4), 10, 'never beyond desired');
  assert.equal(newRSNewReplicas(dep(4, 1, 1, 'Recreate'), [n], n), 4);
});

test('maxScaledDown counts unavailable new pods against the budget', () => {
  const d = dep(10, 3, 2);
  // 10 old + 3 new (none available yet): 13 - 8 - 3 = 2 may go.
  assert.equal(maxScaledDown(d, [rs('o', 10), rs('n', 3, 0)], rs('n', 3, 0)), 2);
  // maxUnavailable 0 / maxSurge 1: nothing may go until the new pod is available.
  const z = dep(3, 1, 0);
  assert.equal(maxScaledDown(z, [rs('o', 3), rs('n', 1, 0)], rs('n', 1, 0)), 0);
  assert.equal(maxScaledDown(z, [rs('o', 3), rs('n', 1, 1)], rs('n', 1, 1)), 1);
});

test('cleanupUnhealthy removes unavailable old pods first, oldest ReplicaSet first', () => {
  const a = rs('a', 4, 1);
  const b = rs('b', 3, 3);
  const c = rs('c', 5, 2);
  assert.deepEqual(
    [...planCleanupUnhealthy([c, b, a], 4)],
    [
      ['a', 1],
      ['c', 4],
    ],
  );
  assert.deepEqual(
    [...planCleanupUnhealthy([a, c], 10)],
    [
      ['a', 1],
      ['c', 2],
    ],
  );
});

test('scaleDownOld keeps availability at desired - maxUnavailable', () => {
  const d = dep(10, 3, 2);
  const old = rs('old', 10, 10);
  const n = rs('new', 3, 3);
  // 13 available, min 8: 5 old pods may go.
  assert.deepEqual([...planScaleDownOld(d, [old, n], [old])], [['old', 5]]);
  assert.deepEqual([...planScaleDownOld(d, [rs('o2', 8, 8)], [rs('o3', 8, 8)])], []);
});

/**
 * Simulates a rollout with pods that become available after one step, applying the controller's
 * order (grow new within surge, then shrink old within unavailability), and checks both bounds at
 * every step for replicas 1..10 and a grid of maxSurge / maxUnavailable.
 */
test('simulated rollouts respect both bounds and converge for replicas 1..10', () => {
  const grid: Array<[IntOrPercent, IntOrPercent]> = [
    ['25%', '25%'],
    [1, 0],
    [0, 1],
    ['50%', '0%'],
    [2, 2],
    ['100%', '100%'],
    [0, '10%'],
    ['10%', 0],
  ];
  for (let r = 1; r <= 10; r++) {
    for (const [s, u] of grid) {
      const d = dep(r, s, u);
      const { surge, unavailable } = resolveFenceposts(d);
      const old = rs('old', r, r);
      const nrs = rs('new', 0, 0);
      let steps = 0;
      while (!(nrs.spec!.replicas === r && (nrs.status!.availableReplicas ?? 0) === r && old.spec!.replicas === 0)) {
        assert.ok(++steps < 100, `no convergence r=${r} s=${s} u=${u}`);
        // pods created last step become available now
        nrs.status!.availableReplicas = nrs.spec!.replicas;
        old.status!.availableReplicas = Math.min(old.status!.availableReplicas!, old.spec!.replicas!);
        const target = newRSNewReplicas(d, [old, nrs], nrs);
        if (target !== nrs.spec!.replicas) {
          nrs.spec!.replicas = target;
        } else if (maxScaledDown(d, [old, nrs], nrs) > 0) {
          const cleanup = planCleanupUnhealthy([old], maxScaledDown(d, [old, nrs], nrs));
          if (cleanup.has('old')) old.spec!.replicas = cleanup.get('old')!;
          const down = planScaleDownOld(d, [old, nrs], [old]);
          if (down.has('old')) old.spec!.replicas = down.get('old')!;
          old.status!.availableReplicas = Math.min(old.status!.availableReplicas!, old.spec!.replicas!);
        }
        assert.ok(sumSpec([old, nrs]) <= r + surge, `surge bound r=${r} s=${s} u=${u}`);
        assert.ok(sumAvailable([old, nrs]) >= r - unavailable, `availability bound r=${r} s=${s} u=${u}`);
      }
    }
  }
});

test('proportional scaling: the documented 10 -> 15 mid-rollout example (3 to old, 2 to new)', () => {
  // kubernetes.io "Proportional scaling": maxSurge 3, maxUnavailable 2, old RS 8 and new RS 5.
  const d = dep(15, 3, 2);
  d.status = { replicas: 13 };
  const old = rs('old', 8, 8, 13);
  const nrs = rs('new', 5, 0, 13);
  const { sizes, op } = planProportionalScale(d, [old, nrs]);
  assert.equal(op, 'up');
  assert.deepEqual(Object.fromEntries(sizes), { old: 11, new: 7 });
});

test('proportional scaling table: down, leftovers to the largest, zero replicas', () => {
  const down = dep(5, 3, 2);
  const a = rs('a', 8, 8, 13);
  const b = rs('b', 5, 0, 13);
  // allowed 8, total 13: remove 5; a: round(8*8/13)=5 (-3), b: round(5*8/13)=3 (-2).
  assert.deepEqual(Object.fromEntries(planProportionalScale(down, [a, b]).sizes), { a: 5, b: 3 });
  const zero = dep(0, 3, 2);
  assert.deepEqual(Object.fromEntries(planProportionalScale(zero, [rs('x', 4, 4, 13), rs('y', 2, 2, 13)]).sizes), { x: 0, y: 0 });
  // No annotation: fall back to status.replicas; leftovers go to the largest ReplicaSet.
  const odd = dep(10, 1, 0);
  odd.status = { replicas: 3 };
  const p = rs('p', 2, 2);
  const q = rs('q', 1, 1);
  const out = planProportionalScale(odd, [p, q]).sizes;
  assert.equal(out.get('p')! + out.get('q')!, 11);
  assert.deepEqual(Object.fromEntries(out), { p: 7, q: 4 });
});
