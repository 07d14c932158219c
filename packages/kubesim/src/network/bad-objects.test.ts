import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterView, watchedKinds } from './cluster-view.js';
import { routeRequest } from './ingress/ingress-router.js';
import type { RequestFacts } from './ingress/route-decision.js';
import type { KubeObject } from './kube-objects.js';
import { silentLogger } from './network-logger.js';
import { ServiceProxy } from './service-proxy.js';
import { makeSlice } from './testdata/fixtures.js';

// Shapes an API server without validation (CRDs with preserve-unknown-fields) will store.
const garbage: unknown[] = [
  null,
  0,
  'x',
  [],
  { spec: null },
  { spec: 'nope' },
  { spec: { rules: 'x', ports: 'x', hosts: 7, http: {}, hostnames: null, subsets: 'x' } },
  { spec: { rules: [null, 1, { host: 5, http: { paths: [null, { path: 3, backend: null }] } }] } },
  { spec: { ports: [null, { port: 'eighty' }, { port: 80, protocol: 'UDP' }], clusterIP: 'bogus' } },
  { spec: { clusterIP: '127.96.254.254', ports: [{ port: 99999 }] } },
  {
    spec: {
      hostnames: [1, null],
      parentRefs: 'gw',
      rules: [{ matches: [{ path: { type: 'RegularExpression', value: '([' } }], backendRefs: [{ weight: 'x' }] }],
    },
  },
  { spec: { hosts: ['*'], http: [null, { match: [null, { uri: { regex: '([' } }], route: [{ destination: { host: 5 }, weight: -1 }] }] } },
  { spec: { hosts: ['bad.test'], http: [{ route: [{ destination: { host: 'svc', subset: 'missing' }, weight: 'NaN' }] }] } },
  {
    spec: {
      parentRefs: [null, { name: 'gw' }],
      hostnames: ['bad.test'],
      rules: [null, 'x', { matches: null, backendRefs: [null, { name: 5, weight: 1 }] }],
    },
  },
  { spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ headers: [null], queryParams: 'x', method: 5 }], backendRefs: 'x' }] } },
  { endpoints: 'x', ports: [null] },
  { endpoints: [null, { addresses: null }, { addresses: [7] }], ports: [{ port: null }] },
  { subsets: [null, { addresses: 'x', ports: [null] }] },
];

function facts(host: string, headers: Record<string, string> = {}): RequestFacts {
  return { host, path: '/a/b', method: 'GET', query: new URLSearchParams('x=1'), headers, cookies: { c: 'always' } };
}

describe('bad routing objects', () => {
  it('never make routing throw, and never crash the Service proxy', async () => {
    const view = new ClusterView();
    const proxy = new ServiceProxy({ view, logger: silentLogger, bindRetryMs: 60_000 });
    proxy.start();
    try {
      let n = 0;
      for (const kind of watchedKinds) {
        for (const g of garbage) {
          const base = g !== null && typeof g === 'object' && !Array.isArray(g) ? g : {};
          const object = {
            ...base,
            metadata: {
              namespace: 'default',
              name: `bad-${n++}`,
              annotations: {
                'nginx.ingress.kubernetes.io/canary': 'true',
                'nginx.ingress.kubernetes.io/canary-weight': '-5',
                'nginx.ingress.kubernetes.io/canary-by-header-pattern': '([',
              },
            },
          } as KubeObject;
          view.apply({ type: 'upsert', kind, object });
        }
      }
      view.apply({ type: 'upsert', kind: 'Gateway', object: { metadata: { namespace: 'default', name: 'gw' } } });
      view.apply({
        type: 'upsert',
        kind: 'Service',
        object: {
          metadata: { namespace: 'default', name: 'ok' },
          spec: { clusterIP: '127.96.254.253', ports: [{ port: 1 + Math.floor(Math.random() * 60000) + 2000 }] },
        } as KubeObject,
      });
      view.apply({
        type: 'upsert',
        kind: 'EndpointSlice',
        object: makeSlice({ service: 'ok', endpoints: [{ ip: '127.244.251.1' }], ports: [{ port: 9 }] }),
      });
      const reports: string[] = [];
      for (const host of ['bad.test', 'any.test', '']) {
        const d = routeRequest(view, facts(host, { 'x-a': '1' }), { random: Math.random, report: (_o, r) => reports.push(r) });
        assert.ok(['backend', 'no-route', 'error'].includes(d.kind));
      }
      assert.ok(reports.length > 0, 'malformed annotations are reported');
      // A valid Service after all the garbage still gets its listener.
      const deadline = Date.now() + 3000;
      while (!proxy.listening().some((a) => a.startsWith('127.96.254.253:')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      assert.ok(
        proxy.listening().some((a) => a.startsWith('127.96.254.253:')),
        `listening: ${proxy.listening().join(', ')}`,
      );
    } finally {
      await proxy.stop();
    }
  });
});
