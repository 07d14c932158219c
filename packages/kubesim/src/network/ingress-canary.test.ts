import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ClusterView } from './cluster-view.js';
import { IngressProxy } from './ingress-proxy.js';
import type { KubeObject } from './kube-objects.js';
import { silentLogger } from './network-logger.js';
import { httpGet, makeService, makeSlice, nextPodIp } from './testdata/fixtures.js';
import { makeDestinationRule, makeGateway, makeHttpRoute, makeIngress, makePod, makeVirtualService } from './testdata/route-objects.js';
import { startVersionApp, type VersionApp } from './testdata/version-app.js';

// Weighted routing is random, so shares are checked against a binomial tolerance:
// 4.5 standard deviations of the share at n requests (at n=1500: 5.8 points for 50%, 3.5 for
// 10%/90%), wide enough that a correct proxy fails about once in 10^5 runs, narrow enough to
// catch an off-by-ten weight. Weights 0 and 100 must be exact.
const n = 1500;
const weights = [0, 10, 50, 90, 100];
const tolerance = (p: number): number => 4.5 * Math.sqrt((p * (1 - p)) / n);

const view = new ClusterView();
let proxy: IngressProxy;
let base: string;
const apps: VersionApp[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const reports: string[] = [];

function put(object: KubeObject): void {
  view.apply({ type: 'upsert', kind: object.kind as 'Ingress', object });
}
function remove(object: KubeObject): void {
  view.apply({ type: 'delete', kind: object.kind as 'Ingress', object });
}

before(async () => {
  for (const [version, pod] of [
    ['v1', 'stable-0'],
    ['v2', 'canary-0'],
  ] as const) {
    const ip = nextPodIp();
    const a = await startVersionApp({ host: ip, version, pod });
    apps.push(a);
    const service = version === 'v1' ? 'stable' : 'canary';
    put(makeService({ name: service, ports: [{ name: 'http', port: 80 }] }));
    put(makeSlice({ service, endpoints: [{ ip, pod }], ports: [{ name: 'http', port: a.port }] }));
    // The "app" Service spans both versions; DestinationRule subsets split it by label.
    put(makeSlice({ service: 'app', name: `app-${version}`, endpoints: [{ ip, pod }], ports: [{ name: 'http', port: a.port }] }));
    put(makePod(pod, { app: 'demo', version }));
  }
  put(makeService({ name: 'app', ports: [{ name: 'http', port: 80 }] }));
  put(makeGateway());
  put(
    makeDestinationRule({
      name: 'app',
      host: 'app',
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    }),
  );
  proxy = new IngressProxy({ view, logger: silentLogger, report: (o, reason) => reports.push(`${o.kind}/${o.name}:${reason}`) });
  base = await proxy.start();
});

after(async () => {
  agent.destroy();
  await proxy.stop();
  await Promise.all(apps.map((a) => a.close()));
});

/** Sends `count` requests for `host` and returns the share answered by v2. */
async function canaryShare(host: string, count: number, headers: Record<string, string> = {}): Promise<number> {
  let v2 = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (done < count) {
      done++;
      const r = await httpGet(`${base}/`, { agent, headers: { host, ...headers } });
      assert.equal(r.status, 200, `status for ${host}: ${r.body}`);
      if (r.headers['x-version'] === 'v2') v2++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return v2 / count;
}

function assertShare(kind: string, weight: number, share: number): void {
  const p = weight / 100;
  console.log(
    `${kind} weight ${weight}: canary share ${(share * 100).toFixed(1)}% over ${n} requests (tolerance +/-${(tolerance(p) * 100).toFixed(1)} points)`,
  );
  if (weight === 0 || weight === 100) assert.equal(share, p, `${kind} weight ${weight} must be exact`);
  else assert.ok(Math.abs(share - p) <= tolerance(p), `${kind} weight ${weight}: share ${share} outside ${p} +/- ${tolerance(p)}`);
}

describe('ingress canary routing', { timeout: 120_000 }, () => {
  it('NGINX canary-weight splits traffic as configured', async () => {
    put(makeIngress({ name: 'main', host: 'nginx.test', service: 'stable' }));
    for (const weight of weights) {
      put(makeIngress({ name: 'canary', host: 'nginx.test', service: 'canary', canary: { 'canary-weight': String(weight) } }));
      assertShare('nginx', weight, await canaryShare('nginx.test', n));
    }
  });

  it('NGINX canary-weight-total scales the weight', async () => {
    put(
      makeIngress({
        name: 'canary',
        host: 'nginx.test',
        service: 'canary',
        canary: { 'canary-weight': '250', 'canary-weight-total': '1000' },
      }),
    );
    const share = await canaryShare('nginx.test', n);
    assert.ok(Math.abs(share - 0.25) <= tolerance(0.25), `share ${share}`);
  });

  it('NGINX header routing is exact and takes precedence over cookie and weight', async () => {
    put(
      makeIngress({
        name: 'canary',
        host: 'nginx.test',
        service: 'canary',
        canary: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'yes', 'canary-weight': '0' },
      }),
    );
    assert.equal(await canaryShare('nginx.test', 200, { 'x-canary': 'yes' }), 1);
    assert.equal(await canaryShare('nginx.test', 200, { 'x-canary': 'no' }), 0);
    assert.equal(
      await canaryShare('nginx.test', 200, { 'x-canary': 'always' }),
      0,
      'with a header value set, "always" is just another value',
    );
    put(
      makeIngress({
        name: 'canary',
        host: 'nginx.test',
        service: 'canary',
        canary: { 'canary-by-header': 'X-Canary', 'canary-by-cookie': 'beta', 'canary-weight': '100' },
      }),
    );
    assert.equal(
      await canaryShare('nginx.test', 200, { 'x-canary': 'never', cookie: 'beta=always' }),
      0,
      'header "never" beats cookie and weight',
    );
    assert.equal(
      await canaryShare('nginx.test', 200, { 'x-canary': 'other', cookie: 'beta=never' }),
      0,
      'unknown header value falls through to the cookie',
    );
    put(
      makeIngress({
        name: 'canary',
        host: 'nginx.test',
        service: 'canary',
        canary: { 'canary-by-header': 'X-Canary', 'canary-by-header-pattern': '^(beta|gamma)$' },
      }),
    );
    assert.equal(await canaryShare('nginx.test', 200, { 'x-canary': 'gamma' }), 1);
    assert.equal(await canaryShare('nginx.test', 200, { 'x-canary': 'delta' }), 0);
  });

  it('NGINX cookie routing: "always" to canary, "never" to stable whatever the weight', async () => {
    put(
      makeIngress({
        name: 'canary',
        host: 'nginx.test',
        service: 'canary',
        canary: { 'canary-by-cookie': 'beta', 'canary-weight': '100' },
      }),
    );
    assert.equal(await canaryShare('nginx.test', 200, { cookie: 'a=1; beta=never' }), 0);
    put(
      makeIngress({ name: 'canary', host: 'nginx.test', service: 'canary', canary: { 'canary-by-cookie': 'beta', 'canary-weight': '0' } }),
    );
    assert.equal(await canaryShare('nginx.test', 200, { cookie: 'beta=always' }), 1);
    assert.equal(await canaryShare('nginx.test', 200, { cookie: 'beta=maybe' }), 0, 'other values fall through to the weight');
  });

  it('a malformed canary-weight is reported and counts as 0; the main route keeps working', async () => {
    put(makeIngress({ name: 'canary', host: 'nginx.test', service: 'canary', canary: { 'canary-weight': 'fifty' } }));
    assert.equal(await canaryShare('nginx.test', 200), 0);
    assert.ok(reports.includes('Ingress/canary:InvalidCanaryAnnotation'), `reports: ${reports.join(', ')}`);
    assert.equal(reports.filter((r) => r === 'Ingress/canary:InvalidCanaryAnnotation').length, 1, 'reported once, not per request');
    remove(makeIngress({ name: 'canary', host: 'nginx.test', service: 'canary' }));
  });

  it('Gateway API HTTPRoute backendRef weights split traffic; header matches are exact', async () => {
    const route = (weight: number): KubeObject =>
      makeHttpRoute({
        name: 'split',
        host: 'gw.test',
        rules: [
          { matches: [{ headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: [{ name: 'canary' }] },
          {
            backendRefs: [
              { name: 'stable', weight: 100 - weight },
              { name: 'canary', weight },
            ],
          },
        ],
      });
    for (const weight of weights) {
      put(route(weight));
      assertShare('httproute', weight, await canaryShare('gw.test', n));
    }
    put(route(0));
    assert.equal(await canaryShare('gw.test', 200, { 'x-canary': 'yes' }), 1);
    assert.equal(await canaryShare('gw.test', 200, { 'x-canary': 'Yes' }), 0, 'exact means exact');
  });

  it('Istio VirtualService weights over DestinationRule subsets split traffic; header matches are exact', async () => {
    const vs = (weight: number): KubeObject =>
      makeVirtualService({
        name: 'app',
        apiVersion: weight === 50 ? 'networking.istio.io/v1beta1' : 'networking.istio.io/v1',
        hosts: ['istio.test'],
        http: [
          { match: [{ headers: { 'x-canary': { exact: 'yes' } } }], route: [{ destination: { host: 'app', subset: 'v2' } }] },
          {
            route: [
              { destination: { host: 'app.default.svc.cluster.local', subset: 'v1', port: { number: 80 } }, weight: 100 - weight },
              { destination: { host: 'app', subset: 'v2' }, weight },
            ],
          },
        ],
      });
    for (const weight of weights) {
      put(vs(weight));
      assertShare('virtualservice', weight, await canaryShare('istio.test', n));
    }
    put(vs(0));
    assert.equal(await canaryShare('istio.test', 200, { 'x-canary': 'yes' }), 1);
    assert.equal(await canaryShare('istio.test', 200, { 'x-canary': 'yes!' }), 0, 'exact means exact');
  });
});
