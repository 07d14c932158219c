import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDrift } from './drift.js';

const manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'castopod/castopod:1.13.7' }] } } },
};

test("the seed's drift: YAML said 1 replica, the cluster had 2", () => {
  const live = structuredClone(manifest) as typeof manifest & { status: unknown };
  live.spec.replicas = 2;
  live.status = { replicas: 2 };
  assert.deepEqual(findDrift(manifest, live), [{ resource: 'Deployment/app', field: 'spec.replicas', manifest: 1, cluster: 2 }]);
});

test('server defaults and status are not drift', () => {
  const live = structuredClone(manifest) as Record<string, unknown>;
  (live.spec as Record<string, unknown>).revisionHistoryLimit = 10;
  (live.metadata as Record<string, unknown>).resourceVersion = '42';
  live.status = { replicas: 1 };
  assert.deepEqual(findDrift(manifest, live as typeof manifest), []);
});

test('an image changed by hand is drift, named by container', () => {
  const live = structuredClone(manifest);
  live.spec.template.spec.containers[0]!.image = 'castopod/castopod:latest';
  const [d] = findDrift(manifest, live);
  assert.equal(d?.field, 'spec.template.spec.containers.[app].image');
  assert.equal(d?.cluster, 'castopod/castopod:latest');
});

test('a missing object is drift', () => {
  assert.equal(findDrift(manifest, undefined)[0]?.cluster, 'missing');
});

test('quantities the server stored canonical are not drift; a changed value is', () => {
  const sized = structuredClone(manifest) as Record<string, any>;
  sized.spec.template.spec.containers[0].resources = {
    requests: { cpu: 0.5, memory: '1024Mi' },
    limits: { cpu: '1000m', memory: '1.5Gi' },
  };
  const live = structuredClone(sized);
  live.spec.template.spec.containers[0].resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1536Mi' } };
  assert.deepEqual(findDrift(sized as typeof manifest, live as typeof manifest), []);
  live.spec.template.spec.containers[0].resources.limits.memory = '1Gi';
  assert.deepEqual(
    findDrift(sized as typeof manifest, live as typeof manifest).map((d) => [d.field, d.manifest, d.cluster]),
    [['spec.template.spec.containers.[app].resources.limits.memory', '1.5Gi', '1Gi']],
  );
});
