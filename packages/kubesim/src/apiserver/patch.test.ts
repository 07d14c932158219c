import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy } from '@kubernetes/client-node';
import { deployment, startTestCluster, type TestCluster } from './test-support.js';

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';
const path = '/apis/apps/v1/namespaces/default/deployments';

describe('apiserver patch', { timeout: 30_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => {
    await c.stop();
  });

  it('applies JSON patches (RFC 6902) including test failures as 422', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('jp') });
    const r = await c.req(
      'PATCH',
      `${path}/jp`,
      [
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
      ],
      JSONP,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.spec.replicas, 4);
    assert.deepEqual(r.body.metadata.labels, { a: 'b' });
    const t = await c.req(
      'PATCH',
      `${path}/jp`,
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 9 },
      ],
      JSONP,
    );
    assert.equal(t.status, 422);
    assert.equal((await c.apps.readNamespacedDeployment({ namespace: 'default', name: 'jp' })).spec?.replicas, 4, 'nothing half-written');
  });

  it('merge patch replaces lists and deletes with null', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('mp') });
    const r = await c.req(
      'PATCH',
      `${path}/mp`,
      { metadata: { labels: { x: '1' } }, spec: { template: { spec: { containers: [{ name: 'other', image: 'i:2' }] } } } },
      MERGE,
    );
    assert.deepEqual(
      r.body.spec.template.spec.containers.map((x: { name: string }) => x.name),
      ['other'],
    );
    const d = await c.req('PATCH', `${path}/mp`, { metadata: { labels: { x: null } } }, MERGE);
    assert.equal(d.body.metadata.labels, undefined);
  });

  it('strategic merge patch merges containers and env by name and honours $patch directives', async () => {
    const base = deployment('smp');
    base.spec.template.spec.containers = [
      {
        name: 'web',
        image: 'w:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80 }],
      },
      { name: 'side', image: 's:1' },
    ];
    base.spec.template.spec.volumes = [{ name: 'v1', emptyDir: {} }];
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: base });
    const r = await c.req(
      'PATCH',
      `${path}/smp`,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'w:2',
                  env: [
                    { name: 'B', value: '3' },
                    { name: 'C', value: '4' },
                    { name: 'A', $patch: 'delete' },
                  ],
                },
              ],
            },
          },
        },
      },
      SMP,
    );
    assert.equal(r.status, 200);
    const cs = r.body.spec.template.spec.containers;
    assert.deepEqual(
      cs.map((x: { name: string; image: string }) => `${x.name}=${x.image}`),
      ['web=w:2', 'side=s:1'],
    );
    assert.deepEqual(cs[0].env, [
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    assert.equal(cs[0].ports[0].containerPort, 80, 'untouched fields stay');
    const rep = await c.req(
      'PATCH',
      `${path}/smp`,
      { spec: { template: { spec: { volumes: [{ name: 'v2', emptyDir: {} }, { $patch: 'replace' }] } } } },
      SMP,
    );
    assert.deepEqual(
      rep.body.spec.template.spec.volumes.map((v: { name: string }) => v.name),
      ['v2'],
    );
    const fin = await c.req('PATCH', `${path}/smp`, { metadata: { finalizers: ['a/x'] } }, SMP);
    const fin2 = await c.req('PATCH', `${path}/smp`, { metadata: { finalizers: ['b/y'] } }, SMP);
    assert.deepEqual(fin2.body.metadata.finalizers, ['a/x', 'b/y'], 'finalizers merge as a set');
    assert.ok(fin.status === 200);
    await c.req(
      'PATCH',
      `${path}/smp`,
      { metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['a/x', 'b/y'] } },
      SMP,
    );
    const svc = await c.core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'ports' },
        spec: {
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443 },
          ],
        },
      },
    });
    assert.ok(svc);
    const sp = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/services/ports',
      { spec: { ports: [{ port: 443, targetPort: 8443 }] } },
      SMP,
    );
    assert.deepEqual(
      sp.body.spec.ports.map((p: { port: number; targetPort: number }) => `${p.port}->${p.targetPort}`),
      ['80->80', '443->8443'],
    );
  });

  it('server-side apply sets a false that omitempty would drop (paused: true back to false), and owns it', async () => {
    await c.req('PATCH', `${path}/ssa-paused?fieldManager=baton`, JSON.stringify(deployment('ssa-paused')), APPLY);
    const paused = await c.req('PATCH', `${path}/ssa-paused?fieldManager=baton`, { spec: { paused: true } }, MERGE);
    assert.equal(paused.body.spec.paused, true);
    const applied = await c.req(
      'PATCH',
      `${path}/ssa-paused?fieldManager=baton&force=true`,
      JSON.stringify({ ...deployment('ssa-paused'), spec: { ...deployment('ssa-paused').spec, paused: false } }),
      APPLY,
    );
    assert.equal(applied.status, 200);
    assert.equal(applied.body.spec.paused, undefined, 'false, stored the way Go writes it back: absent');
    const mine = applied.body.metadata.managedFields.find((m: { operation: string }) => m.operation === 'Apply');
    assert.ok(mine.fieldsV1['f:spec']['f:paused'], 'the applier owns the field it set to false');
  });

  it('server-side apply: an empty list applied before, applied again with items, keeps them', async () => {
    const withEnv = (env: Array<{ name: string; value: string }>): string => {
      const d = deployment('ssa-env');
      d.spec.template.spec.containers[0].env = env;
      return JSON.stringify(d);
    };
    await c.req('PATCH', `${path}/ssa-env?fieldManager=baton`, withEnv([]), APPLY);
    const applied = await c.req('PATCH', `${path}/ssa-env?fieldManager=baton`, withEnv([{ name: 'BATON_RELEASE', value: 'v2' }]), APPLY);
    assert.deepEqual(applied.body.spec.template.spec.containers[0].env, [{ name: 'BATON_RELEASE', value: 'v2' }]);
    const emptied = await c.req('PATCH', `${path}/ssa-env?fieldManager=baton`, withEnv([]), APPLY);
    assert.deepEqual(emptied.body.spec.template.spec.containers[0].env ?? [], [], 'applying [] again removes the items it owned');
  });

  it('server-side apply: creates, tracks managers, conflicts with 409 causes, force takes ownership, removes dropped fields', async () => {
    const cfg = (replicas: number, extra: Record<string, string> = {}): string =>
      JSON.stringify({
        ...deployment('ssa', { replicas }),
        metadata: { name: 'ssa', labels: { app: 'ssa', ...extra } },
      });
    const created = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, cfg(2, { owner: 'alice' }), APPLY);
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.managedFields[0].manager, 'alice');
    assert.equal(created.body.metadata.managedFields[0].operation, 'Apply');
    assert.ok(created.body.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']);
    // bob changes replicas through an Update: he now owns it
    await c.req('PATCH', `${path}/ssa?fieldManager=bob`, { spec: { replicas: 5 } }, MERGE);
    const conflict = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, cfg(3, { owner: 'alice' }), APPLY);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.deepEqual(conflict.body.details.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "bob" using apps/v1', field: '.spec.replicas' },
    ]);
    const same = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, cfg(5, { owner: 'alice' }), APPLY);
    assert.equal(same.status, 200, 'applying the live value is not a conflict');
    const forced = await c.req('PATCH', `${path}/ssa?fieldManager=alice&force=true`, cfg(6, { owner: 'alice' }), APPLY);
    assert.equal(forced.status, 200);
    assert.equal(forced.body.spec.replicas, 6);
    const bob = forced.body.metadata.managedFields.find((m: { manager: string }) => m.manager === 'bob');
    assert.equal(bob, undefined, 'bob lost his only field');
    const dropped = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, cfg(6), APPLY);
    assert.equal(dropped.body.metadata.labels.owner, undefined, 'a field alice stopped applying is removed');
    await c.req('PATCH', `${path}/ssa/status?fieldManager=controller`, { status: { replicas: 6, readyReplicas: 6 } }, MERGE);
    const withStatus = JSON.stringify({ ...JSON.parse(cfg(6)), status: { replicas: 1 } });
    const st = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, withStatus, APPLY);
    assert.equal(st.status, 200, 'status in an applied config is ignored, so it cannot conflict with the controller');
    assert.equal(st.body.status.replicas, 6);
    assert.equal(st.body.metadata.managedFields.find((m: { manager: string }) => m.manager === 'alice').fieldsV1['f:status'], undefined);
    const noop = await c.req('PATCH', `${path}/ssa?fieldManager=alice`, cfg(6), APPLY);
    assert.equal(noop.body.metadata.resourceVersion, st.body.metadata.resourceVersion, 'a no-op apply writes nothing');
    const noManager = await c.req('PATCH', `${path}/ssa`, cfg(6), APPLY);
    assert.equal(noManager.status, 400);
  });

  it('KubernetesObjectApi apply works', async () => {
    const spec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'koa', namespace: 'default' }, data: { a: '1' } };
    const r = await c.objects.patch(spec, undefined, undefined, 'tester', true, PatchStrategy.ServerSideApply);
    assert.equal((r as { data: Record<string, string> }).data['a'], '1');
    const r2 = await c.objects.patch({ ...spec, data: { a: '2' } }, undefined, undefined, 'tester', true, PatchStrategy.ServerSideApply);
    assert.equal((r2 as { data: Record<string, string> }).data['a'], '2');
  });

  it('scale subresource: GET, PUT with rv check and merge PATCH', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('sc') });
    const s = await c.apps.readNamespacedDeploymentScale({ namespace: 'default', name: 'sc' });
    assert.equal(s.spec?.replicas, 1);
    assert.equal(s.status?.selector, 'app=sc');
    const put = await c.apps.replaceNamespacedDeploymentScale({ namespace: 'default', name: 'sc', body: { ...s, spec: { replicas: 3 } } });
    assert.equal(put.spec?.replicas, 3);
    const stale = await c.req('PUT', `${path}/sc/scale`, { ...s, spec: { replicas: 4 } });
    assert.equal(stale.status, 409);
    const p = await c.req('PATCH', `${path}/sc/scale`, { spec: { replicas: 0 } }, MERGE);
    assert.equal(p.body.spec.replicas, 0);
    const d = await c.apps.readNamespacedDeployment({ namespace: 'default', name: 'sc' });
    assert.equal(d.spec?.replicas, 0);
    assert.equal(d.metadata?.generation, 3);
  });

  it('status subresource PATCH changes only status', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('st') });
    const r = await c.req('PATCH', `${path}/st/status`, { spec: { replicas: 9 }, status: { readyReplicas: 1 } }, MERGE);
    assert.equal(r.body.status.readyReplicas, 1);
    assert.equal(r.body.spec.replicas, 1);
  });
});
