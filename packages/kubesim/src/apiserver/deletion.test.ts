import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deployment, eventually, startTestCluster, type TestCluster } from './test-support.js';

const MERGE = 'application/merge-patch+json';

describe('apiserver deletion and garbage collection', { timeout: 30_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => {
    await c.stop();
  });

  /** A Deployment owning a ReplicaSet owning a Pod (as the controllers would build it). */
  async function tree(name: string): Promise<void> {
    const d = await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment(name) });
    const rs = await c.apps.createNamespacedReplicaSet({
      namespace: 'default',
      body: {
        metadata: {
          name: `${name}-rs`,
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true },
          ],
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'a', image: 'b' }] } },
        },
      },
    });
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: {
          name: `${name}-pod`,
          labels: { app: name },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${name}-rs`,
              uid: rs.metadata!.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { containers: [{ name: 'a', image: 'b' }] },
      },
    });
  }
  const exists = async (p: string): Promise<boolean> => (await c.req('GET', p)).status === 200;
  const rsPath = (n: string): string => `/apis/apps/v1/namespaces/default/replicasets/${n}-rs`;
  const podPath = (n: string): string => `/api/v1/namespaces/default/pods/${n}-pod`;
  const depPath = (n: string): string => `/apis/apps/v1/namespaces/default/deployments/${n}`;

  it('Background: the owner goes at once, the collector removes dependents', async () => {
    await tree('bg');
    const r = await c.req('DELETE', depPath('bg'), { propagationPolicy: 'Background' });
    assert.equal(r.status, 200);
    assert.equal(await exists(depPath('bg')), false);
    await eventually(async () => (!(await exists(rsPath('bg'))) && !(await exists(podPath('bg')))) || undefined);
  });

  it('Foreground: the owner waits (foregroundDeletion finalizer) until dependents are gone', async () => {
    await tree('fg');
    const r = await c.req('DELETE', depPath('fg'), { propagationPolicy: 'Foreground' });
    assert.equal(r.status, 200);
    assert.ok(r.body.metadata.deletionTimestamp);
    assert.deepEqual(r.body.metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => !(await exists(depPath('fg'))) || undefined);
    assert.equal(await exists(rsPath('fg')), false);
    assert.equal(await exists(podPath('fg')), false);
  });

  it('Orphan: dependents stay with the ownerReference removed', async () => {
    await tree('or');
    await c.req('DELETE', depPath('or'), { propagationPolicy: 'Orphan' });
    await eventually(async () => !(await exists(depPath('or'))) || undefined);
    const rs = await c.req('GET', rsPath('or'));
    assert.equal(rs.status, 200);
    assert.equal(rs.body.metadata.ownerReferences, undefined);
    assert.equal(await exists(podPath('or')), true);
  });

  it('Jobs orphan their pods by default (batch/v1 behaviour)', async () => {
    const job = await c.batch.createNamespacedJob({
      namespace: 'default',
      body: { metadata: { name: 'jo' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } } },
    });
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: {
          name: 'jo-pod',
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'jo', uid: job.metadata!.uid!, controller: true }],
        },
        spec: { containers: [{ name: 'a', image: 'b' }] },
      },
    });
    await c.req('DELETE', '/apis/batch/v1/namespaces/default/jobs/jo');
    await eventually(async () => !(await exists('/apis/batch/v1/namespaces/default/jobs/jo')) || undefined);
    const pod = await c.req('GET', '/api/v1/namespaces/default/pods/jo-pod');
    assert.equal(pod.status, 200);
    assert.equal(pod.body.metadata.ownerReferences, undefined);
  });

  it('objects with finalizers get deletionTimestamp and stay until the finalizers are removed', async () => {
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] } } });
    const r = await c.req('DELETE', '/api/v1/namespaces/default/configmaps/fin');
    assert.equal(r.status, 200);
    assert.ok(r.body.metadata.deletionTimestamp);
    assert.equal(r.body.metadata.deletionGracePeriodSeconds, 0);
    const add = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/fin',
      { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } },
      MERGE,
    );
    assert.equal(add.status, 422, 'no new finalizers while deleting');
    assert.equal(await exists('/api/v1/namespaces/default/configmaps/fin'), true);
    const done = await c.req('PATCH', '/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: null } }, MERGE);
    assert.equal(done.status, 200);
    assert.equal(await exists('/api/v1/namespaces/default/configmaps/fin'), false);
  });

  it('bound pods are deleted gracefully and go when the kubelet deletes them with grace 0; unbound go at once', async () => {
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'unbound' }, spec: { containers: [{ name: 'a', image: 'b' }] } },
    });
    await c.req('DELETE', '/api/v1/namespaces/default/pods/unbound');
    assert.equal(await exists('/api/v1/namespaces/default/pods/unbound'), false);
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'bound' }, spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'a', image: 'b' }] } },
    });
    const b = await c.req('POST', '/api/v1/namespaces/default/pods/bound/binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bound' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    });
    assert.equal(b.status, 201);
    const again = await c.req('POST', '/api/v1/namespaces/default/pods/bound/binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bound' },
      target: { kind: 'Node', name: 'n2' },
    });
    assert.equal(again.status, 409);
    const bound = await c.core.readNamespacedPod({ namespace: 'default', name: 'bound' });
    assert.equal(bound.spec?.nodeName, 'n1');
    assert.equal(bound.status?.conditions?.find((x) => x.type === 'PodScheduled')?.status, 'True');
    const del = await c.req('DELETE', '/api/v1/namespaces/default/pods/bound');
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 20);
    assert.ok(Date.parse(del.body.metadata.deletionTimestamp) > Date.now() + 15_000);
    const shorter = await c.req('DELETE', '/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 5 });
    assert.equal(shorter.body.metadata.deletionGracePeriodSeconds, 5);
    assert.equal(await exists('/api/v1/namespaces/default/pods/bound'), true);
    await c.req('DELETE', '/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 0 });
    assert.equal(await exists('/api/v1/namespaces/default/pods/bound'), false);
  });

  it('deleting a namespace makes it Terminating, deletes its content, then removes it', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await eventually(async () => (await exists('/api/v1/namespaces/doomed/serviceaccounts/default')) || undefined);
    await c.core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'a' } } });
    await c.core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'held', finalizers: ['x.io/y'] } } });
    const r = await c.req('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(r.body.status.phase, 'Terminating');
    const create = await c.req('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    assert.equal(create.status, 403);
    await eventually(async () => !(await exists('/api/v1/namespaces/doomed/configmaps/a')) || undefined);
    assert.equal(await exists('/api/v1/namespaces/doomed'), true, 'held by the finalizer of its content');
    await c.req('PATCH', '/api/v1/namespaces/doomed/configmaps/held', { metadata: { finalizers: null } }, MERGE);
    await eventually(async () => !(await exists('/api/v1/namespaces/doomed')) || undefined);
  });

  it('deletecollection deletes what the selector matches', async () => {
    for (const n of ['dc1', 'dc2', 'dc3'])
      await c.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: n, labels: { dc: n === 'dc3' ? 'no' : 'yes' } } },
      });
    const r = await c.req('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=dc%3Dyes');
    assert.equal(r.status, 200);
    assert.deepEqual(
      [await exists('/api/v1/namespaces/default/configmaps/dc1'), await exists('/api/v1/namespaces/default/configmaps/dc3')],
      [false, true],
    );
  });

  it('preconditions on delete answer 409', async () => {
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'pre' } } });
    const r = await c.req('DELETE', '/api/v1/namespaces/default/configmaps/pre', { preconditions: { uid: 'nope' } });
    assert.equal(r.status, 409);
  });
});
