import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlannedStep } from '../../engine/step.js';
import { createTestRunContext } from '../../engine/testing/test-run-context.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject, ObjectRef } from '../../kube/kube-object.js';
import { createPauseStep } from './pause-step.js';
import { createSetHeaderRouteStep } from './set-header-route-step.js';
import { createSetWeightStep } from './set-weight-step.js';

/** Just enough of a cluster for the service-selector router: one Service, every call recorded. */
function fakeKube(selector: Record<string, string>) {
  const calls: string[] = [];
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'test' }, spec: { selector } };
  const kube = {
    fieldManager: 'baton',
    async get(ref: ObjectRef) {
      calls.push(`get ${ref.kind}/${ref.name}`);
      return ref.kind === 'Service' ? structuredClone(service) : undefined;
    },
    async mergePatch(ref: ObjectRef, patch: { spec: { selector: Record<string, string | null> } }) {
      calls.push(`patch ${ref.kind}/${ref.name} ${JSON.stringify(patch.spec.selector)}`);
      const next = { ...(service.spec as { selector: Record<string, string> }).selector };
      for (const [k, v] of Object.entries(patch.spec.selector)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      service.spec = { selector: next };
      return service;
    },
  };
  return { kube: kube as unknown as KubeClient, calls, selector: () => (service.spec as { selector: Record<string, string> }).selector };
}

const stable = { app: 'web', 'pod-template-hash': 'h1' };
const canary = { app: 'web', 'baton.dev/track': 'canary' };
const router = {
  kind: 'service-selector',
  namespace: 'test',
  stableService: 'web',
  canaryService: 'web',
  port: 80,
  stableSelector: stable,
  canarySelector: canary,
};
const step = (weight: number, restoreOnUndo: boolean): PlannedStep => ({
  id: `w${weight}`,
  kind: 'set-weight',
  title: 't',
  reversible: true,
  params: { router, weight, restoreOnUndo },
});

test('set-weight: checkpoints the weight before acting, sets it, reports the read-back', async () => {
  const f = fakeKube(stable);
  const ctx = createTestRunContext();
  const result = await createSetWeightStep(f.kube).run(ctx, step(100, true));
  assert.deepEqual(ctx.recorded, [{ previousWeight: 0 }]);
  assert.equal(result.kind, 'done');
  assert.deepEqual(f.selector(), canary);
  const firstPatch = f.calls.findIndex((c) => c.startsWith('patch'));
  assert.ok(firstPatch > 0, 'read before the write');
});

test('set-weight: a re-run after a crash keeps the first checkpoint; undo restores it only where asked', async () => {
  const f = fakeKube(canary); // the crash happened after the write
  const ctx = { ...createTestRunContext(), checkpoints: { previousWeight: 0 } };
  await createSetWeightStep(f.kube).run(ctx, step(100, true));
  assert.deepEqual(ctx.recorded, [], 'no second "before" recorded from the half-changed state');
  const kind = createSetWeightStep(f.kube);
  await kind.undo!(createTestRunContext(), step(100, false), { previousWeight: 0 });
  assert.deepEqual(f.selector(), canary, 'a later set-weight undoes to nothing');
  await kind.undo!(createTestRunContext(), step(100, true), { previousWeight: 0 });
  assert.deepEqual(f.selector(), stable, 'the first one puts all traffic back');
});

test('set-weight: a weight the router cannot express throws, before anything is written', async () => {
  const f = fakeKube(stable);
  await assert.rejects(createSetWeightStep(f.kube).run(createTestRunContext(), step(30, true)), { code: 'TRAFFIC_WEIGHT' });
  assert.equal(f.calls.filter((c) => c.startsWith('patch')).length, 0);
});

test('set-header-route on a router without a proxy is refused; pause waits or asks for promote', async () => {
  const f = fakeKube(stable);
  const routeStep: PlannedStep = {
    id: 'r',
    kind: 'set-header-route',
    title: 't',
    reversible: true,
    params: { router, route: { kind: 'header', name: 'x', value: 'y' } },
  };
  await assert.rejects(createSetHeaderRouteStep(f.kube).run(createTestRunContext(), routeStep), { code: 'TRAFFIC_UNSUPPORTED' });
  const ctx = createTestRunContext();
  assert.deepEqual(await createPauseStep().run(ctx, { id: 'p', kind: 'pause', title: 'Pause', reversible: true, params: { seconds: 5 } }), {
    kind: 'done',
    summary: 'paused 5s',
  });
  assert.deepEqual(ctx.delays, [5000]);
  const paused = await createPauseStep().run(ctx, { id: 'p', kind: 'pause', title: 'Pause', reversible: true, params: {} });
  assert.equal(paused.kind, 'paused');
  assert.match((paused as { reason: string }).reason, /baton promote test-run/);
});
