import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../cluster.js';
import { httpGet, sleep } from './testdata/fixtures.js';
import { makeIngress } from './testdata/route-objects.js';

// The whole path on a full kubesim: a Deployment whose pods are real processes (kubelet), the
// EndpointSlice controller's slices, the Service proxy on the allocated clusterIP and the ingress.
const image = 'kubesim-test/version-app:v1';
// Random ports: other kubesim clusters on this machine get the same first clusterIP and pod IPs.
const svcPort = 20000 + Math.floor(Math.random() * 30000);
const podPort = 20000 + Math.floor(Math.random() * 30000);
let cluster: Cluster;
let token = '';

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await cluster.fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

before(async () => {
  const main = fileURLToPath(new URL('./testdata/version-app-main.js', import.meta.url));
  cluster = await startCluster({ images: { [image]: { entrypoint: [process.execPath, main] } }, propagationDelayMs: 200 });
  token = /token: (\S+)/.exec(cluster.kubeconfig)?.[1] ?? '';
});
after(async () => {
  await cluster?.stop();
});

/** Creates a Deployment + Service of the version app; returns the Service's clusterIP URL. */
async function deployWeb(name: string, preStopSleep: number | undefined): Promise<string> {
  const port = 20000 + Math.floor(Math.random() * 30000);
  await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'app',
              image,
              args: ['$(POD_IP)', String(podPort), 'v1', '$(POD_NAME)'],
              ports: [{ name: 'web', containerPort: podPort }],
              readinessProbe: { httpGet: { path: '/', port: 'web' }, periodSeconds: 1 },
              ...(preStopSleep ? { lifecycle: { preStop: { exec: { command: ['sleep', String(preStopSleep)] } } } } : {}),
            },
          ],
        },
      },
    },
  });
  const svc = await call<{ spec: { clusterIP: string } }>('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: 'web' }] },
  });
  return `http://${svc.spec.clusterIP}:${port}/`;
}

/** Waits until both pods answer, then deletes one under load; counts failed requests. */
async function deleteOnePodUnderLoad(name: string, url: string): Promise<{ ok: number; failed: number }> {
  const pods = new Set<string>();
  const end = Date.now() + 60_000;
  while (pods.size < 2 && Date.now() < end) {
    const r = await httpGet(url, { timeoutMs: 2000 }).catch(() => undefined);
    if (r?.status === 200 && String(r.headers['x-pod']).startsWith(`${name}-`)) pods.add(String(r.headers['x-pod']));
    else await sleep(100);
  }
  assert.equal(pods.size, 2, `both ${name} pods answer`);
  let ok = 0;
  let failed = 0;
  let running = true;
  const workers = Array.from({ length: 4 }, async () => {
    while (running) {
      const r = await httpGet(url, { timeoutMs: 3000 }).catch(() => undefined);
      if (r?.status === 200) ok++;
      else failed++;
    }
  });
  await sleep(300);
  await call('DELETE', `/api/v1/namespaces/default/pods/${[...pods][0]}`);
  await sleep(3000);
  running = false;
  await Promise.all(workers);
  return { ok, failed };
}

describe('network on a full kubesim cluster', { timeout: 90_000 }, () => {
  it('deleting a pod without preStop drops requests in the propagation window; a preStop sleep drops none', async () => {
    const [bare, slept] = await Promise.all([deployWeb('bare', undefined), deployWeb('slept', 2)]);
    const abrupt = await deleteOnePodUnderLoad('bare', bare);
    const graceful = await deleteOnePodUnderLoad('slept', slept);
    console.log(
      `pod deleted under load (delay 200 ms): no preStop ${abrupt.failed} failed / ${abrupt.ok} ok; preStop sleep 2s ${graceful.failed} failed / ${graceful.ok} ok`,
    );
    assert.ok(abrupt.failed > 0, 'the app exits while the proxy still routes to it');
    assert.equal(graceful.failed, 0);
  });

  it('serves a Deployment through its Service clusterIP (named targetPort) and an Ingress', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'app',
                image,
                args: ['$(POD_IP)', String(podPort), 'v1', '$(POD_NAME)'],
                ports: [{ name: 'web', containerPort: podPort }],
                readinessProbe: { httpGet: { path: '/', port: 'web' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    const svc = await call<{ spec: { clusterIP: string } }>('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: svcPort, targetPort: 'web' }] },
    });
    await call(
      'POST',
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
      makeIngress({ name: 'web', host: 'web.test', service: 'web', port: svcPort }),
    );
    const pods = new Set<string>();
    const end = Date.now() + 60_000;
    while (pods.size < 2 && Date.now() < end) {
      const r = await httpGet(`http://${svc.spec.clusterIP}:${svcPort}/`, { timeoutMs: 2000 }).catch(() => undefined);
      if (r?.status === 200) pods.add(String(r.headers['x-pod']));
      else await sleep(100);
    }
    assert.equal(pods.size, 2, `both pods answer through the clusterIP (saw ${[...pods].join(', ')})`);
    for (const p of pods) assert.match(p, /^web-/);
    const viaIngress = await httpGet(cluster.ingressUrl, { headers: { host: 'web.test' } });
    assert.equal(viaIngress.status, 200);
    assert.ok(pods.has(String(viaIngress.headers['x-pod'])));
  });
});
