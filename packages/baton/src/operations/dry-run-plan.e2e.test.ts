// What only the API server knows is found at plan time, through its own server-side dry run:
// nothing is created, and the plan fails with the server's words before any change.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import { specSchema } from '../spec/schema.js';
import { applyAndWait, demoManifests, startTestCluster, type TestCluster } from '../testing/demo-cluster.js';
import { planRelease } from './plan.js';

let t: TestCluster;
before(async () => {
  t = await startTestCluster();
  await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1', replicas: 1 }));
});
after(async () => {
  await t?.stop();
});

const spec = specSchema.parse({
  apiVersion: 'baton.dev/v1alpha1',
  kind: 'Upgrade',
  app: 'demo',
  namespace: 'default',
  manifests: ['k8s/'],
  image: { ref: 'demo/app:v2' },
});

function withDeployment(change: (deployment: KubeObject & { spec: Record<string, unknown> }) => void): KubeObject[] {
  const objects = structuredClone(demoManifests({ image: 'demo/app:v1', replicas: 1 }));
  const deployment = objects.find((o) => o.kind === 'Deployment') as KubeObject & { spec: Record<string, unknown> };
  change(deployment);
  return objects;
}

test('a plan whose objects the server accepts passes the dry run and creates nothing', async () => {
  const extra: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-in-the-plan' }, data: { a: 'b' } };
  const { plan } = await planRelease(
    { spec, manifests: [...demoManifests({ image: 'demo/app:v1', replicas: 1 }), extra] },
    { kube: t.kube },
  );
  assert.ok(plan.steps.length > 0);
  assert.equal(
    await t.kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'only-in-the-plan', namespace: 'default' }),
    undefined,
    'the dry run stored nothing',
  );
});

test("maxSurge 0 with maxUnavailable 0 is refused at plan time with the server's 422", async () => {
  const zero = specSchema.parse({ ...spec, strategy: { kind: 'rolling', rolling: { maxSurge: 0, maxUnavailable: 0 } } });
  await assert.rejects(
    planRelease({ spec: zero, manifests: demoManifests({ image: 'demo/app:v1', replicas: 1 }) }, { kube: t.kube }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'PLAN_REFUSED_BY_SERVER');
      assert.match(error.message, /Deployment\/demo .*HTTP 422/);
      assert.match(error.message, /nothing was changed/);
      return true;
    },
  );
});

test('a wrong apiVersion is refused at plan time (the server has no such kind)', async () => {
  const manifests = withDeployment((d) => {
    d.apiVersion = 'apps/v1beta9';
  });
  await assert.rejects(planRelease({ spec, manifests }, { kube: t.kube }), /PLAN_REFUSED_BY_SERVER|refuses/);
});
