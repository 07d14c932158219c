import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { ClusterView } from './cluster-view.js';
import type { Endpoints } from './kube-objects.js';
import { DelayedFeed } from './delayed-feed.js';
import { silentLogger } from './network-logger.js';
import { ServiceProxy } from './service-proxy.js';
import {
  httpGet,
  makeService,
  makeSlice,
  nextPodIp,
  randomClusterAddress,
  sleep,
  waitFor,
  type EndpointSpec,
} from './testdata/fixtures.js';
import { startVersionApp, type VersionApp } from './testdata/version-app.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function app(version: string, pod: string): Promise<VersionApp & { ip: string }> {
  const ip = nextPodIp();
  const a = await startVersionApp({ host: ip, version, pod });
  cleanups.push(() => a.close());
  return { ...a, ip };
}

async function cluster(delayMs: number, balance: 'random' | 'round-robin' = 'random') {
  const view = new ClusterView();
  const feed = new DelayedFeed(view, { delayMs });
  const proxy = new ServiceProxy({ view, logger: silentLogger, balance });
  proxy.start();
  cleanups.push(async () => {
    feed.stop();
    await proxy.stop();
  });
  const addr = randomClusterAddress();
  const setEndpoints = (eps: EndpointSpec[], port: number): void =>
    feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', endpoints: eps, ports: [{ name: 'http', port }] }),
    });
  feed.push({
    type: 'upsert',
    kind: 'Service',
    object: makeService({ name: 'web', clusterIP: addr.ip, ports: [{ name: 'http', port: addr.port, targetPort: 'web' }] }),
  });
  const key = `${addr.ip}:${addr.port}`;
  /** Waits until the listener is open (it opens once the Service has a usable endpoint). */
  const open = (): Promise<void> => waitFor(() => proxy.listening().includes(key), 5000, 'service listener');
  const closed = (): Promise<void> => waitFor(() => !proxy.listening().includes(key), 5000, 'listener to close');
  return { view, feed, proxy, url: `http://${addr.ip}:${addr.port}`, setEndpoints, open, closed };
}

describe('ServiceProxy', { timeout: 30_000 }, () => {
  it('balances new connections across ready endpoints, resolving the named port from the slice', async () => {
    const a = await app('v1', 'a');
    const b = await app('v1', 'b');
    assert.equal(a.port === b.port, false, 'test wants different per-pod ports');
    // Two pods serve the same named port on different numbers: one slice each, as after a port change.
    const c = await cluster(0, 'round-robin');
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', name: 's1', endpoints: [{ ip: a.ip }], ports: [{ name: 'http', port: a.port }] }),
    });
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', name: 's2', endpoints: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port }] }),
    });
    await c.open();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const r = await httpGet(c.url);
      counts[String(r.headers['x-pod'])] = (counts[String(r.headers['x-pod'])] ?? 0) + 1;
    }
    assert.deepEqual(counts, { a: 20, b: 20 });
  });

  it('refuses connections when there are no endpoints or only not-ready ones (REJECT)', async () => {
    const a = await app('v1', 'a');
    const c = await cluster(0);
    await assert.rejects(httpGet(c.url), /ECONNREFUSED/);
    c.setEndpoints([{ ip: a.ip, ready: false, serving: false }], a.port);
    await assert.rejects(httpGet(c.url), /ECONNREFUSED/);
    c.setEndpoints([{ ip: a.ip }], a.port);
    await c.open();
    assert.equal((await httpGet(c.url)).status, 200);
    c.setEndpoints([{ ip: a.ip, ready: false, serving: false }], a.port);
    await c.closed();
    await assert.rejects(httpGet(c.url), /ECONNREFUSED/);
  });

  it('uses terminating-but-serving endpoints only when no ready endpoint exists (1.26+)', async () => {
    const a = await app('v1', 'old');
    const b = await app('v2', 'new');
    const c = await cluster(0);
    c.setEndpoints([{ ip: a.ip, ready: false, serving: true, terminating: true }], a.port);
    await c.open();
    assert.equal((await httpGet(c.url)).headers['x-pod'], 'old');
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', name: 'other', endpoints: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port }] }),
    });
    for (let i = 0; i < 10; i++) assert.equal((await httpGet(c.url)).headers['x-pod'], 'new');
  });

  it('serves a selector-less Service from hand-written core/v1 Endpoints', async () => {
    const a = await app('v1', 'manual');
    const c = await cluster(0);
    const manual: Endpoints = {
      metadata: { namespace: 'default', name: 'web' },
      subsets: [{ addresses: [{ ip: a.ip }], ports: [{ name: 'http', port: a.port }] }],
    };
    c.feed.push({ type: 'upsert', kind: 'Endpoints', object: manual });
    await c.open();
    assert.equal((await httpGet(c.url)).headers['x-pod'], 'manual');
  });

  it('keeps routing to a removed endpoint until the propagation delay passes, then stops', async () => {
    const delayMs = 400;
    const a = await app('v1', 'a');
    const b = await app('v1', 'b');
    const c = await cluster(delayMs, 'round-robin');
    c.setEndpoints([{ ip: a.ip }, { ip: b.ip }], a.port);
    // a and b listen on different ports; give each its own slice so both resolve.
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', endpoints: [{ ip: a.ip }], ports: [{ name: 'http', port: a.port }] }),
    });
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', name: 'b', endpoints: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port }] }),
    });
    await sleep(delayMs + 100);
    await c.open();
    const removedAt = Date.now();
    c.feed.push({ type: 'delete', kind: 'EndpointSlice', object: makeSlice({ service: 'web', name: 'b', endpoints: [], ports: [] }) });
    let lastB = -1;
    let bAfterRemoval = 0;
    while (Date.now() - removedAt < delayMs * 2.5) {
      const r = await httpGet(c.url);
      if (r.headers['x-pod'] === 'b') {
        bAfterRemoval++;
        lastB = Date.now() - removedAt;
      }
      await sleep(5);
    }
    console.log(`removed endpoint still received ${bAfterRemoval} requests, the last ${lastB} ms after removal (delay ${delayMs} ms)`);
    assert.ok(bAfterRemoval > 0, 'the removed endpoint must keep receiving traffic during the delay');
    assert.ok(lastB < delayMs * 2, `no traffic to the removed endpoint long after the delay (last at ${lastB} ms)`);
  });

  it('an endpoint that exits at removal drops requests; one that outlives the delay drops none', async () => {
    const delayMs = 300;
    async function scenario(stayUpMs: number): Promise<{ ok: number; failed: number }> {
      const a = await app('v1', 'a');
      const b = await app('v1', 'b');
      const c = await cluster(delayMs);
      c.feed.push({
        type: 'upsert',
        kind: 'EndpointSlice',
        object: makeSlice({ service: 'web', name: 'a', endpoints: [{ ip: a.ip }], ports: [{ name: 'http', port: a.port }] }),
      });
      c.feed.push({
        type: 'upsert',
        kind: 'EndpointSlice',
        object: makeSlice({ service: 'web', name: 'b', endpoints: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port }] }),
      });
      await sleep(delayMs + 50);
      await c.open();
      // Pod b is deleted: the slice drops it now, the proxy learns it after delayMs.
      c.feed.push({ type: 'delete', kind: 'EndpointSlice', object: makeSlice({ service: 'web', name: 'b', endpoints: [], ports: [] }) });
      const stopB = sleep(stayUpMs).then(() => b.kill());
      let ok = 0;
      let failed = 0;
      const end = Date.now() + delayMs + 300;
      const workers = Array.from({ length: 4 }, async () => {
        while (Date.now() < end) {
          try {
            const r = await httpGet(c.url, { timeoutMs: 2000 });
            if (r.status === 200) ok++;
            else failed++;
          } catch {
            failed++;
          }
        }
      });
      await Promise.all(workers);
      await stopB;
      return { ok, failed };
    }
    const abrupt = await scenario(0);
    const graceful = await scenario(delayMs + 200);
    console.log(
      `exit at removal: ${abrupt.failed} failed / ${abrupt.ok} ok; exit after delay+200ms: ${graceful.failed} failed / ${graceful.ok} ok`,
    );
    assert.ok(abrupt.failed > 0, 'a backend gone while still routed must drop requests');
    assert.equal(graceful.failed, 0, 'a backend that outlives the propagation delay must drop nothing');
  });

  it('keeps an established keep-alive connection on its endpoint after the endpoint is removed', async () => {
    const a = await app('v1', 'a');
    const b = await app('v2', 'b');
    const c = await cluster(0);
    c.setEndpoints([{ ip: a.ip }], a.port);
    await c.open();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    assert.equal((await httpGet(c.url, { agent })).headers['x-pod'], 'a');
    c.feed.push({
      type: 'upsert',
      kind: 'EndpointSlice',
      object: makeSlice({ service: 'web', endpoints: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port }] }),
    });
    for (let i = 0; i < 5; i++) assert.equal((await httpGet(c.url, { agent })).headers['x-pod'], 'a');
    assert.equal((await httpGet(c.url)).headers['x-pod'], 'b', 'a new connection goes to the new endpoint');
  });
});
