import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlannedStep } from '../../engine/step.js';
import { createTestRunContext } from '../../engine/testing/test-run-context.js';
import type { KubeClient, ListQuery } from '../../kube/kube-client.js';
import type { ObjectRef } from '../../kube/kube-object.js';
import { createSetWeightStep } from './set-weight-step.js';

type Waiting = { reason: string; message?: string } | undefined;

/**
 * Two Deployments behind one Service (the replica-ratio router) and the canary's pod, whose
 * container state the test scripts one observation at a time: the router polls, so each list of
 * pods moves the script on.
 */
function fakeCluster(script: Array<{ waiting: Waiting; restarts: number; ready: number }>) {
  const replicas: Record<string, number> = { web: 2, 'web-canary': 0 };
  let seen = 0;
  const at = () => script[Math.min(seen, script.length - 1)]!;
  const deployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'test', generation: 1 },
    spec: {
      replicas: replicas[name],
      selector: { matchLabels: name === 'web' ? { app: 'web' } : { app: 'web', track: 'canary' } },
      template: { spec: { containers: [{ name: 'app', image: name === 'web' ? 'web:v1' : 'web:v2' }] } },
    },
    status:
      name === 'web'
        ? { replicas: replicas.web, readyReplicas: replicas.web }
        : { replicas: replicas['web-canary'], readyReplicas: at().ready },
  });
  const kube = {
    fieldManager: 'baton',
    async get(ref: ObjectRef) {
      return deployment(ref.name);
    },
    async mergePatch(ref: ObjectRef, patch: { spec: { replicas: number } }) {
      replicas[ref.name] = patch.spec.replicas;
      return deployment(ref.name);
    },
    async list(query: ListQuery) {
      const now = at();
      seen++;
      const canaryPod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-canary-7f9c-x2x4q', namespace: 'test' },
        spec: { containers: [{ name: 'app', image: 'web:v2' }] },
        status: {
          containerStatuses: [{ name: 'app', restartCount: now.restarts, state: now.waiting ? { waiting: now.waiting } : { running: {} } }],
        },
      };
      const stablePod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'test' },
        spec: { containers: [{ name: 'app', image: 'web:v1' }] },
        status: {},
      };
      return { items: query.labelSelector === 'app=web' ? [stablePod, canaryPod] : [canaryPod], resourceVersion: '1' };
    },
  };
  return { kube: kube as unknown as KubeClient, replicas };
}

const router = {
  kind: 'replica-ratio',
  namespace: 'test',
  stableService: 'web',
  canaryService: 'web',
  port: 80,
  stableDeployment: 'web',
  canaryDeployment: 'web-canary',
  totalReplicas: 2,
};
const step: PlannedStep = {
  id: 'weight:50',
  kind: 'set-weight',
  title: 't',
  reversible: true,
  params: { router, weight: 50, restoreOnUndo: true },
};

test('set-weight on replicas: says what the canary waits for, and fails at once on a crash loop with its restarts', async () => {
  const f = fakeCluster([
    { waiting: { reason: 'ContainerCreating' }, restarts: 0, ready: 0 },
    { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app' }, restarts: 2, ready: 0 },
  ]);
  const ctx = createTestRunContext();
  const result = await createSetWeightStep(f.kube).run(ctx, step);
  assert.deepEqual(result, {
    kind: 'failed',
    reason:
      'Deployment web-canary cannot reach 1 ready replica(s): pod web-canary-7f9c-x2x4q container app: CrashLoopBackOff, restarted 2 times (back-off 10s restarting failed container=app)',
  });
  assert.ok(
    ctx.progressLines.includes('Deployment web-canary: 0 ready, wants 1; pod web-canary-7f9c-x2x4q container app: ContainerCreating'),
    ctx.progressLines.join('\n'),
  );
  assert.equal(f.replicas.web, 2, 'stable keeps its pods: the canary never became ready');
});

test('set-weight on replicas: a canary that starts slowly is waited for, then the stable side shrinks', async () => {
  const f = fakeCluster([
    { waiting: { reason: 'ContainerCreating' }, restarts: 0, ready: 0 },
    { waiting: undefined, restarts: 0, ready: 1 },
  ]);
  const ctx = createTestRunContext();
  const result = await createSetWeightStep(f.kube).run(ctx, step);
  assert.equal(result.kind, 'done', JSON.stringify(result));
  assert.deepEqual(f.replicas, { web: 1, 'web-canary': 1 });
  assert.equal(ctx.progressLines.filter((l) => l.includes('ContainerCreating')).length, 1, 'a line per change, not per poll');
});
