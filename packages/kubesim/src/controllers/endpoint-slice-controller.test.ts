import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1EndpointSlice, V1Endpoints, V1Pod, V1Service } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';

const NS = 'default';
let c: TestCluster;
before(async () => {
  // "slow-exit" pods linger 1.5 s after deletion, like an app draining on SIGTERM.
  c = await startTestCluster({ behavior: (p: V1Pod) => ({ terminationDelayMs: p.metadata?.labels?.['drain'] ? 1500 : 0 }) });
});
after(async () => {
  await c?.stop();
});

function pod(name: string, labels: Record<string, string>): V1Pod {
  return {
    metadata: { name, namespace: NS, labels },
    spec: { containers: [{ name: 'main', image: 'app:v1', ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}
function service(name: string, selector: Record<string, string>, extra: Partial<NonNullable<V1Service['spec']>> = {}): V1Service {
  return {
    metadata: { name, namespace: NS, labels: { tier: 'web' } },
    spec: { selector, ports: [{ name: 'web', port: 80, targetPort: 'http' }], ...extra },
  };
}
const slices = async (svc: string): Promise<V1EndpointSlice[]> =>
  (await c.clients.discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const endpoints = (svc: string): Promise<V1Endpoints> => c.clients.core.readNamespacedEndpoints({ name: svc, namespace: NS });
const running = (name: string): Promise<V1Pod> =>
  waitFor(`${name} running`, async () => {
    const p = await c.clients.core.readNamespacedPod({ name, namespace: NS });
    return p.status?.podIP && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? p : undefined;
  });

test('slices and Endpoints follow pods: named targetPort, labels, owner, terminating conditions', { timeout: 30_000 }, async () => {
  await c.clients.core.createNamespacedService({ namespace: NS, body: service('web', { app: 'web' }) });
  const placeholder = await waitFor('placeholder slice', async () => (await slices('web'))[0]);
  assert.deepEqual(placeholder.endpoints ?? [], []);
  await c.clients.core.createNamespacedPod({ namespace: NS, body: pod('web-a', { app: 'web', drain: 'yes' }) });
  await c.clients.core.createNamespacedPod({ namespace: NS, body: pod('web-b', { app: 'web' }) });
  const a = await running('web-a');
  await running('web-b');
  const slice = await waitFor('2 ready endpoints', async () => {
    const [s, ...rest] = await slices('web');
    return rest.length === 0 && s?.endpoints?.filter((e) => e.conditions?.ready).length === 2 ? s : undefined;
  });
  assert.equal(slice.addressType, 'IPv4');
  assert.equal(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(slice.metadata?.labels?.['tier'], 'web', 'Service labels are copied');
  assert.match(slice.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
  const owner = slice.metadata?.ownerReferences?.[0];
  assert.deepEqual([owner?.kind, owner?.name, owner?.controller], ['Service', 'web', true]);
  assert.deepEqual(
    slice.ports?.map((p) => [p.name, p.port, p.protocol]),
    [['web', 8080, 'TCP']],
  );
  const ea = slice.endpoints!.find((e) => e.targetRef?.name === 'web-a')!;
  assert.deepEqual(ea.addresses, [a.status!.podIP]);
  assert.equal(ea.nodeName, 'fake-node');
  assert.deepEqual({ ...ea.conditions }, { ready: true, serving: true, terminating: false });
  const ep = await waitFor('Endpoints with 2 addresses', async () => {
    const e = await endpoints('web');
    return e.subsets?.[0]?.addresses?.length === 2 ? e : undefined;
  });
  assert.deepEqual(
    ep.subsets![0]!.ports?.map((p) => [p.name, p.port]),
    [['web', 8080]],
  );

  // Deleting web-a: while it drains, the slice keeps it as terminating (ready=false, serving=true)
  // and Endpoints drop it.
  await c.clients.core.deleteNamespacedPod({ name: 'web-a', namespace: NS });
  const draining = await waitFor('terminating endpoint', async () => {
    const e = (await slices('web'))[0]?.endpoints?.find((x) => x.targetRef?.name === 'web-a');
    return e?.conditions?.terminating ? e : undefined;
  });
  assert.deepEqual({ ...draining.conditions }, { ready: false, serving: true, terminating: true });
  const ep2 = await waitFor('Endpoints without web-a', async () => {
    const e = await endpoints('web');
    return e.subsets?.[0]?.addresses?.length === 1 && !e.subsets[0].notReadyAddresses ? e : undefined;
  });
  assert.equal(ep2.subsets![0]!.addresses![0]!.targetRef?.name, 'web-b');
  await waitFor('web-a removed from the slice', async () => (await slices('web'))[0]?.endpoints?.length === 1);
});

test('not-ready pods: notReadyAddresses in Endpoints, ready=false serving=false in slices; publishNotReadyAddresses', {
  timeout: 30_000,
}, async () => {
  await c.clients.core.createNamespacedService({ namespace: NS, body: service('nr', { app: 'nr' }) });
  await c.clients.core.createNamespacedService({
    namespace: NS,
    body: service('nr-pub', { app: 'nr' }, { publishNotReadyAddresses: true }),
  });
  await c.clients.core.createNamespacedPod({ namespace: NS, body: pod('nr-a', { app: 'nr' }) });
  await running('nr-a');
  await c.node!.setReady(NS, 'nr-a', false);
  const ep = await waitFor('notReadyAddresses', async () => {
    const e = await endpoints('nr');
    return e.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
  });
  assert.equal(ep.subsets![0]!.addresses, undefined);
  const e = await waitFor('not ready endpoint', async () => {
    const x = (await slices('nr'))[0]?.endpoints?.[0];
    return x?.conditions?.serving === false ? x : undefined;
  });
  assert.deepEqual({ ...e.conditions }, { ready: false, serving: false, terminating: false });
  const pub = await waitFor('published anyway', async () => {
    const x = (await slices('nr-pub'))[0]?.endpoints?.[0];
    return x?.conditions?.serving === false ? x : undefined;
  });
  assert.deepEqual({ ...pub.conditions }, { ready: true, serving: false, terminating: false });
  const pubEp = await waitFor('published address', async () => {
    const x = await endpoints('nr-pub');
    return x.subsets?.[0]?.addresses?.length === 1 ? x : undefined;
  });
  assert.equal(pubEp.subsets![0]!.notReadyAddresses, undefined);
});

test('a pod whose named port does not resolve is left out', { timeout: 30_000 }, async () => {
  await c.clients.core.createNamespacedService({ namespace: NS, body: service('np', { app: 'np' }) });
  const p = pod('np-a', { app: 'np' });
  p.spec!.containers[0]!.ports = [{ name: 'metrics', containerPort: 9090 }];
  await c.clients.core.createNamespacedPod({ namespace: NS, body: p });
  await c.clients.core.createNamespacedPod({ namespace: NS, body: pod('np-b', { app: 'np' }) });
  await running('np-a');
  await running('np-b');
  const all = await waitFor('np-b in a slice', async () => {
    const s = await slices('np');
    return s.some((x) => x.endpoints?.some((e) => e.targetRef?.name === 'np-b')) ? s : undefined;
  });
  const withPorts = all.find((x) => x.endpoints?.some((e) => e.targetRef?.name === 'np-b'))!;
  assert.deepEqual(
    withPorts.ports?.map((q) => q.port),
    [8080],
  );
  const ep = await endpoints('np');
  assert.deepEqual(
    ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.targetRef?.name),
    ['np-b'],
  );
});
