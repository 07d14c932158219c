import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
import { startTestCluster, type TestCluster } from './test-support.js';

interface Ev {
  type: string;
  object: { metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string };
}

/** Reads watch events for `ms` (or until `count` arrive) from a raw HTTP watch. */
function collect(c: TestCluster, path: string, opts: { ms?: number; count?: number } = {}): Promise<Ev[]> {
  return new Promise((resolve, reject) => {
    const events: Ev[] = [];
    let buf = '';
    const u = new URL(c.server.httpsUrl + path);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        ca: c.server.caPem,
        headers: { authorization: `Bearer ${c.server.token}` },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buf.slice(0, i)) as Ev);
            buf = buf.slice(i + 1);
            if (opts.count && events.length >= opts.count) {
              req.destroy();
              resolve(events);
            }
          }
        });
        res.on('end', () => resolve(events));
      },
    );
    req.on('error', (e) => {
      if (!opts.count || events.length < opts.count) reject(e);
    });
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, opts.ms ?? 1500);
  });
}

describe('apiserver watch', { timeout: 30_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster({ watchHistorySize: 20, bookmarkIntervalMs: 200 });
  });
  after(async () => {
    await c.stop();
  });

  it('replays from a resourceVersion, then streams ADDED/MODIFIED/DELETED', async () => {
    const first = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1' } } });
    const rv = first.metadata?.resourceVersion;
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w2' } } });
    const events = collect(c, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`, { count: 4, ms: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    await c.core.patchNamespacedConfigMap({ namespace: 'default', name: 'w1', body: { data: { a: 'b' } } }, merge);
    await c.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w2' });
    await c.core.createNamespacedConfigMap({ namespace: 'kube-system', body: { metadata: { name: 'other-ns' } } });
    const got = (await events).map((e) => `${e.type} ${e.object.metadata.name}`);
    assert.deepEqual(got, ['ADDED w2', 'MODIFIED w1', 'DELETED w2']);
  });

  it('starts with synthetic ADDED events when resourceVersion is unset or "0"', async () => {
    for (const q of ['', '&resourceVersion=0']) {
      const events = await collect(c, `/api/v1/namespaces/default/configmaps?watch=true${q}`, { ms: 300 });
      assert.ok(events.length > 0 && events.every((e) => e.type === 'ADDED'));
      assert.ok(events.some((e) => e.object.metadata.name === 'w1'));
    }
  });

  it('sends a 410 Expired ERROR event when the resourceVersion is older than the history', async () => {
    const old = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'old' } } });
    for (let i = 0; i < 30; i++)
      await c.core.patchNamespacedConfigMap({ namespace: 'default', name: 'old', body: { data: { i: String(i) } } }, merge);
    const events = await collect(c, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${old.metadata?.resourceVersion}`, {
      ms: 1000,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'ERROR');
    assert.equal(events[0]?.object.code, 410);
    assert.equal(events[0]?.object.reason, 'Expired');
  });

  it('sends BOOKMARK events when allowed, and ends at timeoutSeconds', async () => {
    const started = Date.now();
    const events = await collect(
      c,
      '/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=' +
        (await c.core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion,
      { ms: 5000 },
    );
    assert.ok(Date.now() - started < 3000, 'stream ended by timeoutSeconds');
    const marks = events.filter((e) => e.type === 'BOOKMARK');
    assert.ok(marks.length >= 2);
    assert.ok(Number(marks[0]?.object.metadata.resourceVersion) > 0);
  });

  it('honours label selectors on watch: objects entering and leaving the selection', async () => {
    const events = collect(
      c,
      '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=sel%3Dyes&resourceVersion=' +
        (await c.core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion,
      { count: 2, ms: 3000 },
    );
    await new Promise((r) => setTimeout(r, 100));
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'sel', labels: { sel: 'no' } } } });
    await c.core.patchNamespacedConfigMap({ namespace: 'default', name: 'sel', body: { metadata: { labels: { sel: 'yes' } } } }, merge);
    await c.core.patchNamespacedConfigMap({ namespace: 'default', name: 'sel', body: { metadata: { labels: { sel: 'no' } } } }, merge);
    assert.deepEqual(
      (await events).map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED sel', 'DELETED sel'],
    );
  });

  it('watches a single object by name (and via the legacy /watch/ prefix)', async () => {
    const rv = (await c.core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
    const one = collect(c, `/api/v1/namespaces/default/configmaps/solo?watch=1&resourceVersion=${rv}`, { count: 1, ms: 3000 });
    const legacy = collect(c, `/api/v1/watch/namespaces/default/configmaps/solo?resourceVersion=${rv}`, { count: 1, ms: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'not-solo' } } });
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'solo' } } });
    assert.deepEqual(
      (await one).map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED solo'],
    );
    assert.deepEqual(
      (await legacy).map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED solo'],
    );
  });

  it('works with client-node Watch', async () => {
    const seen: string[] = [];
    const w = new Watch(c.kc);
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    const ctrl = await w.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: (await c.core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion },
      (type, obj: { metadata: { name: string } }) => {
        seen.push(`${type} ${obj.metadata.name}`);
        if (seen.length === 2) done();
      },
      () => done(),
    );
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn' } } });
    await c.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'cn' });
    await Promise.race([finished, new Promise((r) => setTimeout(r, 3000))]);
    ctrl.abort();
    assert.deepEqual(seen, ['ADDED cn', 'DELETED cn']);
  });
});
