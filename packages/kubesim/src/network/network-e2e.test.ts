import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApiServer } from '../apiserver/index.js';
import { networkCrds, startNetwork, type Network } from './index.js';
import { httpGet, makeSlice, nextPodIp, sleep } from './testdata/fixtures.js';
import { makeDestinationRule, makeGateway, makeHttpRoute, makeIngress, makeVirtualService } from './testdata/route-objects.js';
import { startVersionApp, type VersionApp } from './testdata/version-app.js';

// End to end through kubesim's API server: real Service (clusterIP allocated by the server),
// EndpointSlices written by hand (the EndpointSlice controller needs running pods), Ingress,
// Gateway API and Istio objects, all seen by the proxies through list+watch.
type ApiServer = Awaited<ReturnType<typeof startApiServer>>;
let api: ApiServer;
let net: Network;
let dir: string;
const apps: Array<VersionApp & { ip: string; pod: string }> = [];
const delayMs = 300;
// Every kubesim API server hands out 127.96.0.2 first, so concurrent clusters on one machine
// share clusterIPs; a random Service port keeps this test's listeners apart from theirs.
const svcPort = 20000 + Math.floor(Math.random() * 30000);

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await api.fetch(path, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
const create = (collection: string, body: unknown): Promise<Record<string, unknown>> => call('POST', collection, body);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-network-e2e-'));
  api = await startApiServer({ dataDir: dir });
  for (const crd of networkCrds) await create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  net = await startNetwork({ kubeconfig: api.kubeconfig(), propagationDelayMs: delayMs });
  for (const [version, pod] of [
    ['v1', 'web-v1'],
    ['v2', 'web-v2'],
  ] as const) {
    const ip = nextPodIp();
    const app = await startVersionApp({ host: ip, version, pod, port: 0 });
    apps.push({ ...app, ip, pod });
    await create('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, labels: { app: 'web', version } },
      spec: { containers: [{ name: 'app', image: 'demo' }] },
    });
  }
});

after(async () => {
  await net?.stop();
  await api?.stop();
  await Promise.all(apps.map((a) => a.close()));
  await rm(dir, { recursive: true, force: true });
});

async function eventually(url: string, host: string, want: (pod: string) => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  let last = '';
  while (Date.now() < end) {
    const r = await httpGet(url, { headers: { host } }).catch((e: Error) => ({ status: 0, headers: {}, body: e.message }));
    last = `${r.status} ${String((r.headers as http.IncomingHttpHeaders)['x-pod'])}`;
    if (r.status === 200 && want(String((r.headers as http.IncomingHttpHeaders)['x-pod']))) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; last answer ${last}`);
}

describe('network end to end through the API server', { timeout: 90_000 }, () => {
  let clusterUrl = '';

  it('a Service with EndpointSlices is served on its allocated clusterIP, after the propagation delay', async () => {
    const [v1, v2] = apps as [(typeof apps)[0], (typeof apps)[0]];
    assert.equal(v1.port === v2.port, false);
    const svc = await create('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: svcPort, targetPort: 'http' }] },
    });
    const clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    assert.match(clusterIP, /^127\.96\./);
    clusterUrl = `http://${clusterIP}:${svcPort}`;
    for (const app of apps) {
      const slice = makeSlice({
        service: 'web',
        name: `web-${app.pod}`,
        endpoints: [{ ip: app.ip, pod: app.pod }],
        ports: [{ name: 'http', port: app.port }],
      });
      await create('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', slice);
    }
    const seen = new Set<string>();
    await eventually(clusterUrl, 'web', (p) => (seen.add(p), seen.size === 2), 'both endpoints through the clusterIP');
  });

  it('a deleted EndpointSlice keeps receiving traffic for about the propagation delay', async () => {
    const removedAt = Date.now();
    await call('DELETE', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-web-v2');
    let lastV2 = -1;
    while (Date.now() - removedAt < delayMs * 3) {
      const r = await httpGet(clusterUrl);
      if (r.headers['x-pod'] === 'web-v2') lastV2 = Date.now() - removedAt;
      await sleep(5);
    }
    console.log(`through the API server: removed endpoint last served ${lastV2} ms after the delete (delay ${delayMs} ms)`);
    assert.ok(lastV2 >= 0 && lastV2 < delayMs * 2.5, `last v2 answer at ${lastV2} ms`);
    const slice = makeSlice({
      service: 'web',
      name: 'web-web-v2',
      endpoints: [{ ip: apps[1]!.ip, pod: 'web-v2' }],
      ports: [{ name: 'http', port: apps[1]!.port }],
    });
    await create('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', slice);
  });

  it('routes an Ingress with an NGINX canary and publishes its status', async () => {
    await call('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-v2' },
      spec: { ports: [{ name: 'http', port: svcPort }] },
    });
    const only = makeSlice({
      service: 'web-v2',
      name: 'web-v2-only',
      endpoints: [{ ip: apps[1]!.ip, pod: 'web-v2' }],
      ports: [{ name: 'http', port: apps[1]!.port }],
    });
    await create('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', only);
    const stable = makeSlice({
      service: 'web-v1',
      name: 'web-v1-only',
      endpoints: [{ ip: apps[0]!.ip, pod: 'web-v1' }],
      ports: [{ name: 'http', port: apps[0]!.port }],
    });
    await call('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-v1' },
      spec: { ports: [{ name: 'http', port: svcPort }] },
    });
    await create('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', stable);
    await create(
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
      makeIngress({ name: 'main', host: 'shop.test', service: 'web-v1', port: svcPort }),
    );
    await eventually(net.ingressUrl, 'shop.test', (p) => p === 'web-v1', 'main ingress');
    await create(
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
      makeIngress({ name: 'canary', host: 'shop.test', service: 'web-v2', port: svcPort, canary: { 'canary-by-header': 'x-canary' } }),
    );
    await eventually(net.ingressUrl, 'shop.test', () => true, 'warm');
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const r = await httpGet(net.ingressUrl, { headers: { host: 'shop.test', 'x-canary': 'always' } });
      if (r.headers['x-pod'] === 'web-v2') break;
      await sleep(50);
    }
    assert.equal((await httpGet(net.ingressUrl, { headers: { host: 'shop.test', 'x-canary': 'always' } })).headers['x-pod'], 'web-v2');
    assert.equal((await httpGet(net.ingressUrl, { headers: { host: 'shop.test' } })).headers['x-pod'], 'web-v1');
    let status: unknown;
    const statusEnd = Date.now() + 10_000;
    while (Date.now() < statusEnd) {
      const ing = await call<{ status?: { loadBalancer?: { ingress?: unknown } } }>(
        'GET',
        '/apis/networking.k8s.io/v1/namespaces/default/ingresses/main',
      );
      status = ing.status?.loadBalancer?.ingress;
      if (Array.isArray(status) && status.length > 0) break;
      await sleep(50);
    }
    assert.deepEqual(status, [{ ip: '127.0.0.1' }]);
  });

  it('a starting network serves what exists at once; only later changes wait for the delay', async () => {
    const late = await startNetwork({ kubeconfig: api.kubeconfig(), propagationDelayMs: 60_000 });
    try {
      const r = await httpGet(late.ingressUrl, { headers: { host: 'shop.test' } });
      assert.equal(r.headers['x-pod'], 'web-v1');
    } finally {
      await late.stop();
    }
  });

  it('records a Warning Event for a malformed canary weight and keeps serving', async () => {
    await call('PATCH', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/canary', {
      metadata: { annotations: { 'nginx.ingress.kubernetes.io/canary-weight': 'lots' } },
    }).catch(async () => {
      // Servers without merge-patch on this path: fall back to a full update.
      const ing = await call<Record<string, { annotations?: Record<string, string> }>>(
        'GET',
        '/apis/networking.k8s.io/v1/namespaces/default/ingresses/canary',
      );
      ing.metadata!.annotations!['nginx.ingress.kubernetes.io/canary-weight'] = 'lots';
      await call('PUT', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/canary', ing);
    });
    let reasons: string[] = [];
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      await httpGet(net.ingressUrl, { headers: { host: 'shop.test' } });
      const events = await call<{ items: Array<{ reason?: string; involvedObject?: { name?: string } }> }>(
        'GET',
        '/api/v1/namespaces/default/events',
      );
      reasons = events.items.filter((e) => e.involvedObject?.name === 'canary').map((e) => String(e.reason));
      if (reasons.includes('InvalidCanaryAnnotation')) break;
      await sleep(100);
    }
    assert.ok(reasons.includes('InvalidCanaryAnnotation'), `events: ${reasons.join(', ')}`);
    assert.equal((await httpGet(net.ingressUrl, { headers: { host: 'shop.test' } })).headers['x-pod'], 'web-v1');
  });

  it('routes Gateway API HTTPRoutes and Istio VirtualServices (v1beta1) with DestinationRule subsets', async () => {
    await create('/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways', makeGateway());
    await create(
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes',
      makeHttpRoute({
        name: 'gw',
        host: 'gw.test',
        rules: [
          {
            backendRefs: [
              { name: 'web-v1', port: svcPort, weight: 0 },
              { name: 'web-v2', port: svcPort, weight: 1 },
            ],
          },
        ],
      }),
    );
    await eventually(net.ingressUrl, 'gw.test', (p) => p === 'web-v2', 'httproute to web-v2');
    await create('/apis/networking.istio.io/v1beta1/namespaces/default/destinationrules', {
      ...makeDestinationRule({
        name: 'web',
        host: 'web',
        subsets: [
          { name: 'stable', labels: { version: 'v1' } },
          { name: 'next', labels: { version: 'v2' } },
        ],
      }),
      apiVersion: 'networking.istio.io/v1beta1',
    });
    await create(
      '/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices',
      makeVirtualService({
        name: 'web',
        apiVersion: 'networking.istio.io/v1beta1',
        hosts: ['mesh.test'],
        http: [
          {
            match: [{ headers: { 'x-user': { prefix: 'beta-' } } }],
            route: [{ destination: { host: 'web', subset: 'next', port: { number: svcPort } } }],
          },
          { route: [{ destination: { host: 'web', subset: 'stable', port: { number: svcPort } }, weight: 100 }] },
        ],
      }),
    );
    await eventually(net.ingressUrl, 'mesh.test', (p) => p === 'web-v1', 'virtualservice default route');
    for (let i = 0; i < 20; i++) {
      assert.equal((await httpGet(net.ingressUrl, { headers: { host: 'mesh.test' } })).headers['x-pod'], 'web-v1');
      assert.equal((await httpGet(net.ingressUrl, { headers: { host: 'mesh.test', 'x-user': 'beta-7' } })).headers['x-pod'], 'web-v2');
    }
  });
});
