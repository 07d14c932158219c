import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterView } from '../cluster-view.js';
import type { KubeObject } from '../kube-objects.js';
import { makeGateway, makeHttpRoute, makeIngress, makeVirtualService } from '../testdata/route-objects.js';
import { routeRequest } from './ingress-router.js';
import type { RequestFacts } from './route-decision.js';

function viewOf(...objects: KubeObject[]): ClusterView {
  const v = new ClusterView();
  for (const object of objects) v.apply({ type: 'upsert', kind: object.kind as 'Ingress', object });
  return v;
}

function facts(host: string, path = '/', headers: Record<string, string> = {}, method = 'GET'): RequestFacts {
  return { host, path, method, query: new URLSearchParams(), headers, cookies: {} };
}

/** "service" for a backend decision, "404", or "error <status>". */
function route(view: ClusterView, req: RequestFacts): string {
  const d = routeRequest(view, req, { random: () => 0.5, report: () => {} });
  if (d.kind === 'backend') return d.target.service + (d.target.subsetLabels ? `:${JSON.stringify(d.target.subsetLabels)}` : '');
  return d.kind === 'no-route' ? '404' : `error ${d.status}`;
}

describe('routeRequest', () => {
  it('Ingress: exact host, then one-label wildcard; ImplementationSpecific is a string prefix', () => {
    const v = viewOf(
      makeIngress({ name: 'a', host: 'a.example.com', service: 'exact' }),
      makeIngress({ name: 'w', host: '*.example.com', service: 'wild' }),
      makeIngress({ name: 'i', host: 'i.test', service: 'impl', path: '/api', pathType: 'ImplementationSpecific' }),
    );
    assert.equal(route(v, facts('a.example.com')), 'exact');
    assert.equal(route(v, facts('b.example.com')), 'wild');
    assert.equal(route(v, facts('x.b.example.com')), '404');
    assert.equal(route(v, facts('i.test', '/apix')), 'impl');
    assert.equal(route(v, facts('i.test', '/other')), '404');
  });

  it('Ingress: a canary without a main Ingress for its host/path is ignored', () => {
    const v = viewOf(makeIngress({ name: 'c', host: 'c.test', service: 'canary', canary: { 'canary-weight': '100' } }));
    assert.equal(route(v, facts('c.test')), '404');
  });

  it('HTTPRoute: needs an existing Gateway; Exact beats longer prefixes; more header matches win', () => {
    const r = makeHttpRoute({
      name: 'r',
      host: 'gw.test',
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'prefix' }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api/v1' } }], backendRefs: [{ name: 'longer' }] },
        { matches: [{ path: { type: 'Exact', value: '/api' } }], backendRefs: [{ name: 'exact' }] },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api/v1' }, headers: [{ name: 'x-a', value: '1' }] }],
          backendRefs: [{ name: 'header' }],
        },
        { matches: [{ path: { type: 'PathPrefix', value: '/gone' } }], backendRefs: [{ name: 'x', weight: 0 }] },
      ],
    });
    assert.equal(route(viewOf(r), facts('gw.test', '/api')), '404', 'not attached to an existing Gateway');
    const v = viewOf(makeGateway(), r);
    assert.equal(route(v, facts('gw.test', '/api')), 'exact');
    assert.equal(route(v, facts('gw.test', '/api/x')), 'prefix');
    assert.equal(route(v, facts('gw.test', '/api/v1/x')), 'longer');
    assert.equal(route(v, facts('gw.test', '/api/v1/x', { 'x-a': '1' })), 'header');
    assert.equal(route(v, facts('gw.test', '/gone')), 'error 500', 'all weights zero: 500 per the spec');
    assert.equal(route(v, facts('gw.test', '/elsewhere')), '404');
    const reports: string[] = [];
    const bad = viewOf(
      makeGateway(),
      makeHttpRoute({
        name: 'bad',
        host: 'bad.test',
        rules: [
          {
            backendRefs: [
              { name: 'x', weight: -3 },
              { name: 'y', weight: 1 },
            ],
          },
        ],
      }),
    );
    const d = routeRequest(bad, facts('bad.test'), {
      random: () => 0,
      report: (o, reason) => reports.push(`${o.kind}/${o.name}:${reason}`),
    });
    assert.equal(d.kind === 'backend' && d.target.service, 'y', 'a negative weight counts as 0');
    assert.deepEqual(reports, ['HTTPRoute/bad:InvalidWeight']);
  });

  it('VirtualService: first matching rule wins; prefix/regex headers; short names; subsets', () => {
    const v = viewOf(
      makeVirtualService({
        name: 'vs',
        hosts: ['reviews', 'reviews.example.com'],
        http: [
          { match: [{ headers: { 'x-user': { regex: 'beta-[0-9]+' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
          { match: [{ uri: { prefix: '/v3' } }], route: [{ destination: { host: 'reviews-v3.other.svc.cluster.local' } }] },
          { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
        ],
      }),
      {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'DestinationRule',
        metadata: { namespace: 'default', name: 'r' },
        spec: { host: 'reviews.default.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
      } as KubeObject,
    );
    assert.equal(route(v, facts('reviews.example.com')), 'reviews:{"version":"v1"}');
    assert.equal(route(v, facts('reviews.default.svc.cluster.local')), 'reviews:{"version":"v1"}', 'short host matches its FQDN');
    assert.equal(route(v, facts('reviews', '/v3/x')), 'reviews-v3');
    assert.equal(route(v, facts('reviews', '/', { 'x-user': 'beta-12' })), 'error 503', 'subset v2 is not defined: 503');
    assert.equal(route(v, facts('reviews', '/', { 'x-user': 'beta-12x' })), 'reviews:{"version":"v1"}', 'regex is anchored');
    assert.equal(route(v, facts('ratings')), '404');
  });

  it('a named host of any kind beats a catch-all of another kind; Ingress wins ties', () => {
    const v = viewOf(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { namespace: 'default', name: 'all' },
        spec: {
          rules: [
            { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'catch-all', port: { number: 80 } } } }] } },
          ],
        },
      } as KubeObject,
      makeGateway(),
      makeHttpRoute({ name: 'r', host: 'gw.test', rules: [{ backendRefs: [{ name: 'gateway' }] }] }),
      makeVirtualService({ name: 'vs', hosts: ['mesh.test', 'gw.test'], http: [{ route: [{ destination: { host: 'mesh' } }] }] }),
    );
    assert.equal(route(v, facts('gw.test')), 'gateway');
    assert.equal(route(v, facts('mesh.test')), 'mesh');
    assert.equal(route(v, facts('anything.test')), 'catch-all');
  });
});
