import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, startTestCluster, type TestCluster } from './test-support.js';

const crd = (scope: 'Namespaced' | 'Cluster', plural: string, kind: string): Record<string, unknown> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.example.baton.dev` },
  spec: {
    group: 'example.baton.dev',
    scope,
    names: { plural, singular: kind.toLowerCase(), kind, shortNames: [plural.slice(0, 3)] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['weight'],
                properties: {
                  weight: { type: 'integer', minimum: 0, maximum: 100 },
                  mode: { type: 'string', enum: ['a', 'b'] },
                  routes: {
                    type: 'array',
                    items: { type: 'object', properties: { weight: { type: 'integer', default: 1 }, name: { type: 'string' } } },
                  },
                  free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
});

describe('apiserver CustomResourceDefinitions', { timeout: 30_000 }, () => {
  let c: TestCluster;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubesim-crd-'));
    c = await startTestCluster({ dataDir: dir });
  });
  after(async () => {
    await c.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves a CRD's kind with discovery, CRUD, schema validation and pruning, status subresource", async () => {
    const created = await c.req(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      crd('Namespaced', 'rollouts', 'Rollout'),
    );
    assert.equal(created.status, 201);
    assert.ok(
      created.body.status.conditions.some((x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True'),
    );
    const disc = await c.req('GET', '/apis/example.baton.dev/v1');
    assert.deepEqual(
      disc.body.resources.map((r: { name: string }) => r.name),
      ['rollouts', 'rollouts/status'],
    );
    assert.ok((await c.req('GET', '/apis')).body.groups.some((g: { name: string }) => g.name === 'example.baton.dev'));
    const base = '/apis/example.baton.dev/v1/namespaces/default/rollouts';
    const r = await c.req('POST', base, {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Rollout',
      metadata: { name: 'r1' },
      spec: { weight: 10, junk: 1, free: { any: 'thing' } },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.spec.junk, undefined, 'unknown fields are pruned');
    assert.deepEqual(r.body.spec.free, { any: 'thing' });
    const defaulted = await c.req('POST', base, {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Rollout',
      metadata: { name: 'r0' },
      spec: { weight: 1, routes: [{ name: 'x' }, { name: 'y', weight: 5 }] },
    });
    assert.deepEqual(
      defaulted.body.spec.routes,
      [
        { name: 'x', weight: 1 },
        { name: 'y', weight: 5 },
      ],
      'schema defaults apply',
    );
    await c.req('DELETE', `${base}/r0`);
    assert.equal(r.body.metadata.generation, 1);
    const bad = await c.req('POST', base, {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Rollout',
      metadata: { name: 'r2' },
      spec: { weight: 200, mode: 'c' },
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.details.causes.map((x: { field: string }) => x.field).sort(), ['spec.mode', 'spec.weight']);
    const missing = await c.req('POST', base, { apiVersion: 'example.baton.dev/v1', kind: 'Rollout', metadata: { name: 'r3' }, spec: {} });
    assert.equal(missing.body.details.causes[0].field, 'spec.weight');
    const noRv = await c.req('PUT', `${base}/r1`, {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Rollout',
      metadata: { name: 'r1' },
      spec: { weight: 20 },
    });
    assert.equal(noRv.status, 422, 'custom resources need a resourceVersion on update');
    const upd = await c.req('PUT', `${base}/r1`, { ...r.body, spec: { weight: 20 }, status: { phase: 'ignored' } });
    assert.equal(upd.body.metadata.generation, 2);
    assert.equal(upd.body.status, undefined);
    const st = await c.req('PATCH', `${base}/r1/status`, { status: { phase: 'Healthy' } }, 'application/merge-patch+json');
    assert.equal(st.body.status.phase, 'Healthy');
    assert.equal(st.body.metadata.generation, 2);
    const smp = await c.req('PATCH', `${base}/r1`, { spec: { weight: 1 } }, 'application/strategic-merge-patch+json');
    assert.equal(smp.status, 415, 'no strategic merge patch for custom resources');
    const list = await c.custom.listNamespacedCustomObject({
      group: 'example.baton.dev',
      version: 'v1',
      namespace: 'default',
      plural: 'rollouts',
    });
    assert.equal((list as { items: unknown[] }).items.length, 1);
  });

  it('serves cluster-scoped CRDs and keeps CRDs and their objects across a restart', async () => {
    await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('Cluster', 'fleets', 'Fleet'));
    const f = await c.req('POST', '/apis/example.baton.dev/v1/fleets', {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Fleet',
      metadata: { name: 'f1' },
      spec: { weight: 1 },
    });
    assert.equal(f.status, 201);
    assert.equal(f.body.metadata.namespace, undefined);
    const rvBefore = Number(f.body.metadata.resourceVersion);
    await c.stop();
    c = await startTestCluster({ dataDir: dir });
    const again = await c.req('GET', '/apis/example.baton.dev/v1/fleets/f1');
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.uid, f.body.metadata.uid);
    const next = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-restart' } } });
    assert.ok(Number(next.metadata?.resourceVersion) > rvBefore, 'resourceVersion continues after restart');
    const gone = await c.req('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rvBefore - 1}&timeoutSeconds=1`);
    assert.match(JSON.stringify(gone.body), /Expired|410/);
  });

  it("serves the scale subresource at the CRD's paths and its printer columns as a Table", async () => {
    const def = crd('Namespaced', 'canaries', 'Canary') as { spec: { versions: Record<string, unknown>[] } };
    const props = (def.spec.versions[0]!['schema'] as any).openAPIV3Schema.properties;
    props.spec.properties.count = { type: 'integer' };
    props.spec.properties.sel = { type: 'string' };
    props.status.properties.count = { type: 'integer' };
    def.spec.versions[0]!['subresources'] = {
      status: {},
      scale: { specReplicasPath: '.spec.count', statusReplicasPath: '.status.count', labelSelectorPath: '.spec.sel' },
    };
    def.spec.versions[0]!['additionalPrinterColumns'] = [
      { name: 'Weight', type: 'integer', jsonPath: '.spec.weight' },
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode' },
    ];
    assert.equal((await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', def)).status, 201);
    const base = '/apis/example.baton.dev/v1/namespaces/default/canaries';
    await c.req('POST', base, {
      apiVersion: 'example.baton.dev/v1',
      kind: 'Canary',
      metadata: { name: 'k1' },
      spec: { weight: 30, mode: 'a', count: 2, sel: 'app=k' },
    });
    const scale = await c.req('GET', `${base}/k1/scale`);
    assert.deepEqual([scale.body.spec.replicas, scale.body.status.selector], [2, 'app=k']);
    const patched = await c.req('PATCH', `${base}/k1/scale`, { spec: { replicas: 5 } }, 'application/merge-patch+json');
    assert.equal(patched.body.spec.replicas, 5);
    assert.equal((await c.req('GET', `${base}/k1`)).body.spec.count, 5);
    const r = await c.server.fetch(base, {
      headers: { authorization: `Bearer ${c.server.token}`, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const table = (await r.json()) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    assert.deepEqual(
      table.columnDefinitions.map((x) => x.name),
      ['Name', 'Weight', 'Mode'],
    );
    assert.deepEqual(table.rows[0]?.cells, ['k1', 30, 'a']);
  });

  it('server-side apply merges custom resource lists by their x-kubernetes-list-map-keys', async () => {
    const def = crd('Namespaced', 'pools', 'Pool') as { spec: { versions: Record<string, unknown>[] } };
    const props = (def.spec.versions[0]!['schema'] as any).openAPIV3Schema.properties;
    props.spec.properties.members = {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name', 'zone'],
      items: {
        type: 'object',
        required: ['name', 'zone'],
        properties: { name: { type: 'string' }, zone: { type: 'string' }, size: { type: 'integer' } },
      },
    };
    props.spec.properties.tags = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
    assert.equal((await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', def)).status, 201);
    const url = (m: string): string => `/apis/example.baton.dev/v1/namespaces/default/pools/p1?fieldManager=${m}`;
    const cfg = (members: unknown[], tags: string[]): string =>
      JSON.stringify({ apiVersion: 'example.baton.dev/v1', kind: 'Pool', metadata: { name: 'p1' }, spec: { weight: 1, members, tags } });
    assert.equal(
      (await c.req('PATCH', url('a'), cfg([{ name: 'x', zone: 'z1', size: 1 }], ['red']), 'application/apply-patch+yaml')).status,
      201,
    );
    const b = await c.req(
      'PATCH',
      url('b'),
      JSON.stringify({
        apiVersion: 'example.baton.dev/v1',
        kind: 'Pool',
        metadata: { name: 'p1' },
        spec: { members: [{ name: 'x', zone: 'z2', size: 2 }], tags: ['blue'] },
      }),
      'application/apply-patch+yaml',
    );
    assert.equal(b.status, 200, 'different map keys and set members do not conflict');
    assert.deepEqual(
      b.body.spec.members.map((m: { zone: string }) => m.zone),
      ['z1', 'z2'],
    );
    assert.deepEqual(b.body.spec.tags, ['red', 'blue']);
    const again = await c.req('PATCH', url('a'), cfg([], []), 'application/apply-patch+yaml');
    assert.deepEqual(
      again.body.spec.members.map((m: { zone: string }) => m.zone),
      ['z2'],
      'a drops only its own item',
    );
    assert.deepEqual(again.body.spec.tags, ['blue']);
  });

  it('deleting a CRD deletes its objects and stops serving the kind', async () => {
    const watch = c.server
      .fetch(`/apis/example.baton.dev/v1/namespaces/default/rollouts?watch=1&timeoutSeconds=20`, {
        headers: { authorization: `Bearer ${c.server.token}` },
      })
      .then((res) => res.text());
    await new Promise((res) => setTimeout(res, 100));
    const r = await c.req('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rollouts.example.baton.dev');
    const ended = await Promise.race([watch.then(() => true), new Promise((res) => setTimeout(() => res(false), 3000))]);
    assert.equal(ended, true, 'watches of the kind end with its CRD');
    assert.equal(r.status, 200);
    await eventually(
      async () => (await c.req('GET', '/apis/example.baton.dev/v1/namespaces/default/rollouts')).status === 404 || undefined,
    );
    const disc = await c.req('GET', '/apis/example.baton.dev/v1');
    assert.deepEqual(
      disc.body.resources.map((x: { name: string }) => x.name),
      ['fleets', 'fleets/status', 'canaries', 'canaries/status', 'canaries/scale', 'pools', 'pools/status'],
    );
  });
});
