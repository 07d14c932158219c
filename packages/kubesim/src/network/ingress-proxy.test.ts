import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { ClusterView } from './cluster-view.js';
import { IngressProxy } from './ingress-proxy.js';
import type { KubeObject } from './kube-objects.js';
import { silentLogger } from './network-logger.js';
import { httpGet, makeService, makeSlice, nextPodIp, sleep } from './testdata/fixtures.js';
import { makeGateway, makeHttpRoute, makeIngress } from './testdata/route-objects.js';
import { startVersionApp, type VersionApp } from './testdata/version-app.js';

const view = new ClusterView();
let proxy: IngressProxy;
let base: string;
const cleanups: Array<() => unknown> = [];
const put = (object: KubeObject): void => view.apply({ type: 'upsert', kind: object.kind as 'Ingress', object });

async function backend(service: string, version: string, pod: string): Promise<VersionApp & { ip: string }> {
  const ip = nextPodIp();
  const a = await startVersionApp({ host: ip, version, pod });
  cleanups.push(() => a.close());
  put(makeService({ name: service, ports: [{ name: 'http', port: 80 }] }));
  put(makeSlice({ service, endpoints: [{ ip, pod }], ports: [{ name: 'http', port: a.port }] }));
  return { ...a, ip };
}

/** A backend as a real child process, so the test can SIGKILL it. */
async function childBackend(service: string, pod: string): Promise<ChildProcess> {
  const ip = nextPodIp();
  const main = fileURLToPath(new URL('./testdata/version-app-main.js', import.meta.url));
  const child = spawn(process.execPath, [main, ip, '0', 'v1', pod], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child backend did not start')), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
  });
  put(makeService({ name: service, ports: [{ name: 'http', port: 80 }] }));
  put(makeSlice({ service, endpoints: [{ ip, pod }], ports: [{ name: 'http', port }] }));
  return child;
}

/** Reads a streamed response, recording when each chunk arrived; resolves on end or error. */
function readStream(url: string, host: string): Promise<{ status: number; chunks: Array<{ at: number; text: string }>; error?: string }> {
  return new Promise((resolve) => {
    const start = Date.now();
    const chunks: Array<{ at: number; text: string }> = [];
    const req = http.get(url, { headers: { host }, agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => chunks.push({ at: Date.now() - start, text: c }));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, chunks, error: e.message }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.on('error', (e) => resolve({ status: 0, chunks, error: e.message }));
  });
}

before(async () => {
  proxy = new IngressProxy({ view, logger: silentLogger, upstreamTimeoutMs: 300 });
  base = await proxy.start();
});
after(async () => {
  await proxy.stop();
  for (const c of cleanups.reverse()) await c();
});

describe('IngressProxy', { timeout: 60_000 }, () => {
  it('routes by host and path (Exact beats Prefix, Prefix is element-wise) and 404s the rest', async () => {
    await backend('web', 'v1', 'web-0');
    await backend('api', 'v1', 'api-0');
    await backend('health', 'v1', 'health-0');
    put(makeIngress({ name: 'web', host: 'shop.test', service: 'web' }));
    put(makeIngress({ name: 'api', host: 'shop.test', service: 'api', path: '/api', pathType: 'Prefix' }));
    put(makeIngress({ name: 'health', host: 'shop.test', service: 'health', path: '/api/health', pathType: 'Exact' }));
    const pod = async (path: string, host = 'shop.test'): Promise<string> => {
      const r = await httpGet(base + path, { headers: { host } });
      return r.status === 200 ? String(r.headers['x-pod']) : String(r.status);
    };
    assert.equal(await pod('/'), 'web-0');
    assert.equal(await pod('/api'), 'api-0');
    assert.equal(await pod('/api/users?x=1'), 'api-0');
    assert.equal(await pod('/apix'), 'web-0', 'Prefix /api must not match /apix');
    assert.equal(await pod('/api/health'), 'health-0');
    assert.equal(await pod('/api/health/deep'), 'api-0', 'Exact does not match below itself');
    assert.equal(await pod('/', 'other.test'), '404');
    assert.equal(await pod('/', 'SHOP.test:8080'), 'web-0', 'host match ignores case and port');
  });

  it('answers 503 for a missing Service or no ready endpoints, 502 for a dead endpoint, 504 on timeout', async () => {
    put(makeIngress({ name: 'ghost', host: 'ghost.test', service: 'does-not-exist' }));
    assert.equal((await httpGet(base, { headers: { host: 'ghost.test' } })).status, 503);
    put(makeService({ name: 'empty', ports: [{ name: 'http', port: 80 }] }));
    put(makeSlice({ service: 'empty', endpoints: [{ ip: nextPodIp(), ready: false }], ports: [{ name: 'http', port: 1 }] }));
    put(makeIngress({ name: 'empty', host: 'empty.test', service: 'empty' }));
    assert.equal((await httpGet(base, { headers: { host: 'empty.test' } })).status, 503);
    // A ready endpoint nobody listens on: connect is refused, nginx answers 502.
    const free = net.createServer();
    const deadIp = nextPodIp();
    await new Promise<void>((r) => free.listen(0, deadIp, () => r()));
    const deadPort = (free.address() as net.AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    put(makeService({ name: 'dead', ports: [{ name: 'http', port: 80 }] }));
    put(makeSlice({ service: 'dead', endpoints: [{ ip: deadIp }], ports: [{ name: 'http', port: deadPort }] }));
    put(makeIngress({ name: 'dead', host: 'dead.test', service: 'dead' }));
    const dead = await httpGet(base, { headers: { host: 'dead.test' } });
    assert.equal(dead.status, 502);
    assert.match(dead.body, /502 Bad Gateway/);
    await backend('slow', 'v1', 'slow-0');
    put(makeIngress({ name: 'slow', host: 'slow.test', service: 'slow' }));
    assert.equal((await httpGet(`${base}/slow?ms=100`, { headers: { host: 'slow.test' } })).status, 200);
    assert.equal((await httpGet(`${base}/slow?ms=1500`, { headers: { host: 'slow.test' } })).status, 504);
  });

  it('sets X-Forwarded-For/Host/Proto and keeps the Host header', async () => {
    const r = await httpGet(`${base}/echo-headers`, { headers: { host: 'shop.test' } });
    const { headers } = JSON.parse(r.body) as { headers: Record<string, string> };
    assert.equal(headers.host, 'shop.test');
    assert.equal(headers['x-forwarded-host'], 'shop.test');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(headers['x-forwarded-port'], new URL(base).port);
  });

  it('reuses upstream connections (keep-alive to the pods)', async () => {
    const app = await backend('pooled', 'v1', 'pooled-0');
    put(makeIngress({ name: 'pooled', host: 'pooled.test', service: 'pooled' }));
    for (let i = 0; i < 30; i++) assert.equal((await httpGet(base, { headers: { host: 'pooled.test' } })).status, 200);
    assert.equal(app.connectionsAccepted(), 1, '30 sequential requests from fresh clients share one upstream connection');
  });

  it('serves many requests over one client keep-alive connection and streams long chunked bodies intact', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 50; i++) assert.equal((await httpGet(base, { agent, headers: { host: 'shop.test' } })).status, 200);
    } finally {
      agent.destroy();
    }
    const s = await readStream(`${base}/stream?chunks=40&intervalMs=25`, 'shop.test');
    const text = s.chunks.map((c) => c.text).join('');
    assert.equal(s.error, undefined);
    assert.equal(text.split('\n').filter(Boolean).length, 40);
    assert.ok(text.startsWith('chunk 0 v1\n') && text.endsWith('chunk 39 v1\n'));
    assert.ok((s.chunks[0]?.at ?? 1e9) < 500, 'the first chunk arrives long before the stream ends (no buffering)');
  });

  it('streams request bodies (a 4 MiB upload) to the backend and back', async () => {
    const payload = Buffer.alloc(4 * 1024 * 1024, 'abcdefgh');
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(`${base}/echo-body`, { method: 'POST', headers: { host: 'shop.test' }, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.end(payload);
    });
    assert.equal(echoed.length, payload.length);
    assert.ok(echoed.equals(payload));
  });

  it('cuts a response that stalls longer than the read timeout after it started (no second answer)', async () => {
    const s = await readStream(`${base}/stream?chunks=3&intervalMs=1000`, 'shop.test');
    assert.equal(s.status, 200);
    assert.ok(s.error !== undefined, 'the client sees the stream cut');
    assert.equal((await httpGet(base, { headers: { host: 'shop.test' } })).status, 200, 'the proxy is still up');
  });

  it('sends the status line of a stream before its first byte of body', async () => {
    const started = Date.now();
    const headersAt = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${base}/stream?chunks=1&intervalMs=3000`, { headers: { host: 'shop.test' }, agent: false }, () => {
        resolve(Date.now() - started);
        req.destroy();
      });
      req.on('error', reject);
    });
    // Generous bound on a shared machine: the body only starts at 3000 ms.
    assert.ok(headersAt < 2500, `headers after ${headersAt} ms, before the first chunk at 3000 ms`);
  });

  it('passes a Server-Sent Events stream event by event', async () => {
    const s = await readStream(`${base}/sse?events=5&intervalMs=150`, 'shop.test');
    const events = s.chunks
      .map((c) => c.text)
      .join('')
      .split('\n\n')
      .filter(Boolean);
    assert.deepEqual(
      events,
      [0, 1, 2, 3, 4].map((i) => `data: v1 ${i}`),
    );
    const first = s.chunks[0]?.at ?? 0;
    const last = s.chunks.at(-1)?.at ?? 0;
    assert.ok(last - first >= 400, `events arrive spread out as sent (first ${first} ms, last ${last} ms)`);
  });

  it('passes WebSocket upgrades and echoes', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { host: 'shop.test' } });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (d) => {
        messages.push(String(d));
        if (messages.length === 1) ws.send('ping 1');
        else if (messages.length === 2) ws.send(Buffer.alloc(70_000, 'x'));
        else resolve();
      });
    });
    ws.close();
    assert.equal(messages[0], 'hello from web-0');
    assert.equal(messages[1], 'ping 1');
    assert.equal(messages[2]?.length, 70_000);
    put(makeIngress({ name: 'nows', host: 'nows.test', service: 'nothing' }));
    const refused = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { host: 'nows.test' } });
    const status = await new Promise<number>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('error', () => resolve(-1));
    });
    assert.equal(status, 503);
  });

  it('a backend killed mid-stream cuts only its own stream', async () => {
    const victim = await childBackend('victim', 'victim-0');
    await childBackend('survivor', 'survivor-0');
    put(makeIngress({ name: 'victim', host: 'victim.test', service: 'victim' }));
    put(makeIngress({ name: 'survivor', host: 'survivor.test', service: 'survivor' }));
    const a = readStream(`${base}/stream?chunks=30&intervalMs=30`, 'victim.test');
    const b = readStream(`${base}/stream?chunks=30&intervalMs=30`, 'survivor.test');
    await sleep(300);
    victim.kill('SIGKILL');
    const [cut, whole] = await Promise.all([a, b]);
    const lines = (s: typeof cut): number =>
      s.chunks
        .map((c) => c.text)
        .join('')
        .split('\n')
        .filter(Boolean).length;
    assert.equal(cut.status, 200);
    assert.ok(cut.error !== undefined, 'the client of the killed backend must see its stream fail, not end cleanly');
    assert.ok(lines(cut) > 0 && lines(cut) < 30, `victim stream was cut after ${lines(cut)} chunks`);
    assert.equal(whole.error, undefined);
    assert.equal(lines(whole), 30);
  });
});

describe('IngressProxy propagation delay', { timeout: 60_000 }, () => {
  it('a pod that exits at removal: HTTPRoute (no retries) drops requests during the delay, Ingress retries them elsewhere (proxy_next_upstream); outliving the delay drops none', async () => {
    const delayMs = 300;
    async function scenario(stayUpMs: number, kind: 'Ingress' | 'HTTPRoute' = 'HTTPRoute'): Promise<{ ok: number; failed: number }> {
      const { DelayedFeed } = await import('./delayed-feed.js');
      const v = new ClusterView();
      const feed = new DelayedFeed(v, { delayMs });
      const p = new IngressProxy({ view: v, logger: silentLogger });
      const url = await p.start();
      const apps2: VersionApp[] = [];
      try {
        const push = (object: KubeObject): void => feed.push({ type: 'upsert', kind: object.kind as 'Ingress', object });
        push(makeService({ name: 'web', ports: [{ name: 'http', port: 80 }] }));
        if (kind === 'Ingress') push(makeIngress({ name: 'web', host: 'web.test', service: 'web' }));
        else {
          feed.push({ type: 'upsert', kind: 'Gateway', object: makeGateway() });
          feed.push({
            type: 'upsert',
            kind: 'HTTPRoute',
            object: makeHttpRoute({ name: 'web', host: 'web.test', rules: [{ backendRefs: [{ name: 'web' }] }] }),
          });
        }
        for (const pod of ['a', 'b']) {
          const ip = nextPodIp();
          const a = await startVersionApp({ host: ip, version: 'v1', pod });
          apps2.push(a);
          push(makeSlice({ service: 'web', name: pod, endpoints: [{ ip, pod }], ports: [{ name: 'http', port: a.port }] }));
        }
        await sleep(delayMs + 50);
        feed.push({ type: 'delete', kind: 'EndpointSlice', object: makeSlice({ service: 'web', name: 'b', endpoints: [], ports: [] }) });
        const stopB = sleep(stayUpMs).then(() => (stayUpMs === 0 ? apps2[1]?.kill() : apps2[1]?.close()));
        let ok = 0;
        let failed = 0;
        const end = Date.now() + delayMs + 300;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (Date.now() < end) {
              const r = await httpGet(url, { headers: { host: 'web.test' } }).catch(() => ({ status: 0 }));
              if (r.status === 200) ok++;
              else failed++;
            }
          }),
        );
        await stopB;
        return { ok, failed };
      } finally {
        feed.stop();
        await p.stop();
        await Promise.all(apps2.map((a) => a.close()));
      }
    }
    const abrupt = await scenario(0);
    const retried = await scenario(0, 'Ingress');
    const graceful = await scenario(delayMs + 200);
    console.log(
      `ingress: exit at removal ${abrupt.failed} failed / ${abrupt.ok} ok (HTTPRoute), ${retried.failed} failed / ${retried.ok} ok (Ingress, next upstream); exit after delay+200ms ${graceful.failed} failed / ${graceful.ok} ok`,
    );
    assert.ok(abrupt.failed > 0, 'without retries the propagation window drops requests');
    assert.equal(retried.failed, 0, 'nginx passes refused GETs to the next upstream');
    assert.equal(graceful.failed, 0);
  });

  it('a dead endpoint among live ones: Ingress GETs all succeed on the next upstream, a POST with a body is not replayed, HTTPRoute does not retry', async () => {
    const v = new ClusterView();
    const p = new IngressProxy({ view: v, logger: silentLogger });
    const url = await p.start();
    const liveIp = nextPodIp();
    const live = await startVersionApp({ host: liveIp, version: 'v1', pod: 'live' });
    try {
      const free = net.createServer();
      const deadIp = nextPodIp();
      await new Promise<void>((r) => free.listen(0, deadIp, () => r()));
      const deadPort = (free.address() as net.AddressInfo).port;
      await new Promise<void>((r) => free.close(() => r()));
      const put = (object: KubeObject): void => v.apply({ type: 'upsert', kind: object.kind as 'Ingress', object });
      put(makeService({ name: 'mix', ports: [{ name: 'http', port: 80 }] }));
      put(makeSlice({ service: 'mix', name: 'dead', endpoints: [{ ip: deadIp, pod: 'dead' }], ports: [{ name: 'http', port: deadPort }] }));
      put(
        makeSlice({ service: 'mix', name: 'live', endpoints: [{ ip: liveIp, pod: 'live' }], ports: [{ name: 'http', port: live.port }] }),
      );
      put(makeIngress({ name: 'mix', host: 'mix.test', service: 'mix' }));
      put(makeGateway());
      put(makeHttpRoute({ name: 'mix', host: 'mix-route.test', rules: [{ backendRefs: [{ name: 'mix' }] }] }));
      const statuses = async (host: string, method = 'GET'): Promise<number[]> =>
        Promise.all(
          Array.from(
            { length: 20 },
            () =>
              new Promise<number>((resolve) => {
                const req = http.request(
                  url,
                  { method, headers: { host, ...(method === 'POST' ? { 'content-type': 'text/plain' } : {}) }, agent: false },
                  (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                  },
                );
                req.on('error', () => resolve(0));
                req.end(method === 'POST' ? 'body' : undefined);
              }),
          ),
        );
      const gets = await statuses('mix.test');
      assert.deepEqual([...new Set(gets)], [200], `Ingress GETs: ${gets.join(',')}`);
      const posts = await statuses('mix.test', 'POST');
      assert.ok(posts.includes(502) && posts.some((s) => s !== 502), `POSTs with a body: ${posts.join(',')}`);
      const routed = await statuses('mix-route.test');
      assert.ok(routed.includes(502) && routed.includes(200), `HTTPRoute GETs: ${routed.join(',')}`);
    } finally {
      await p.stop();
      await live.close();
    }
  });
});
