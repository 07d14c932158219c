import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startProbe } from './probe.js';
import { deadPort, startDemoApp, startForwarder, startTestServer } from './test-servers.js';

const T = { timeout: 30_000 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('probe against real local servers', () => {
  it('counts exactly: every 4th request answered 500, fresh share spread exactly', T, async () => {
    let received = 0;
    let answered500 = 0;
    const server = await startTestServer((req, res) => {
      received += 1;
      const fail = received % 4 === 0;
      if (fail) answered500 += 1;
      res.writeHead(fail ? 500 : 200, { 'x-app-version': 'v1' });
      res.end('x');
      req.resume();
    });
    try {
      const probe = await startProbe({ url: server.url, rps: 100, freshConnectionShare: 0.2, failureCap: 5 });
      await sleep(1_000);
      const record = await probe.stop();
      assert.ok(record.requests.total >= 90, `open loop kept its rate (${record.requests.total})`);
      assert.equal(record.requests.total, received);
      assert.equal(record.requests.failed, answered500);
      assert.equal(record.requests.byReason.status, answered500);
      assert.equal(record.requests.byStatus['500'], answered500);
      assert.equal(record.requests.byStatus['200'], received - answered500);
      assert.equal(record.failures.count, answered500);
      assert.equal(record.failures.kept.length, 5, 'individual failures are capped, the count is not');
      // Each 500 is followed by successes: one short window per failure, capped in the record.
      assert.ok(record.downtime.count > 5 && record.downtime.windows.length === 5, JSON.stringify(record.downtime).slice(0, 200));
      // Each failure counts until the next success (~one request interval): about a quarter of the run.
      const share = record.downtime.totalMs / (record.stoppedAt - record.startedAt);
      assert.ok(share > 0.1 && share < 0.45, `downtime share ${share}`);
      assert.equal(record.requests.fresh, Math.floor(received * 0.2));
      assert.deepEqual(record.requests.byVersion, { v1: received });
      assert.equal(probe.stats().failed, answered500);
      const bucketTotal = record.buckets.reduce((s, b) => s + b.requests, 0);
      assert.equal(bucketTotal, received);
      assert.ok(record.requests.p50Ms !== null && record.requests.p99Ms !== null && record.requests.p50Ms <= record.requests.p99Ms);
      assert.doesNotThrow(() => JSON.parse(JSON.stringify(record)));
    } finally {
      await server.close();
    }
  });

  it('counts refused connections and the whole run as downtime when nothing listens', T, async () => {
    const port = await deadPort();
    const probe = await startProbe({ url: `http://127.0.0.1:${port}`, rps: 50 });
    await sleep(600);
    const record = await probe.stop();
    assert.ok(record.requests.total >= 25);
    assert.equal(record.requests.failed, record.requests.total);
    assert.equal(record.requests.byReason.refused, record.requests.total);
    assert.equal(record.requests.p50Ms, null, 'no answer, no latency');
    const run = record.stoppedAt - record.startedAt;
    assert.ok(record.downtime.totalMs >= run * 0.9, `downtime ${record.downtime.totalMs} of ${run} ms`);
  });

  it('is not blind: killing the backend mid-run shows failures, cut streams, SSE and WebSockets', T, async () => {
    const app = await startDemoApp({ APP_VERSION: 'v2' });
    try {
      const probe = await startProbe({
        url: app.url,
        rps: 100,
        streams: { count: 2, path: '/stream?seconds=10&kbps=64' },
        sse: { count: 2, path: '/events' },
        websockets: { count: 2, path: '/ws' },
      });
      await sleep(700);
      const before = probe.stats();
      assert.equal(before.failed, 0);
      assert.equal(before.streamsStarted, 6, '2 downloads, 2 SSE, 2 WebSockets');
      probe.mark('kill');
      await app.kill('SIGKILL');
      await sleep(700);
      const record = await probe.stop();
      assert.ok(record.requests.failed > 20, `failures seen: ${record.requests.failed}`);
      assert.equal(record.requests.byVersion.v2, record.requests.ok);
      assert.equal(record.streams?.cut, 2);
      assert.equal(record.streams?.completed, 0);
      assert.ok((record.streams?.startFailed ?? 0) > 0, 'restarts after the kill fail');
      assert.ok((record.streams?.bytesReceived ?? 0) < (record.streams?.bytesExpected ?? 0));
      assert.equal(record.sse?.cut, 2);
      assert.ok((record.sse?.messages ?? 0) >= 4, 'SSE ticks arrived before the kill');
      assert.equal(record.websockets?.cut, 2);
      assert.equal(probe.stats().streamsCut, 6, 'downloads, SSE and WebSockets: all cut abruptly');
      const killAt = record.marks[0]?.at ?? 0;
      assert.equal(record.marks[0]?.label, 'kill');
      assert.ok(
        record.downtime.windows.some((w) => w.end > killAt + 500 && w.start < killAt + 100),
        JSON.stringify(record.downtime),
      );
    } finally {
      await app.kill();
    }
  });

  it('a draining server closes SSE and WebSockets gracefully; clients resume on the next pod without losing a message', T, async () => {
    const a = await startDemoApp({ APP_VERSION: 'v1', DRAIN_TIMEOUT_MS: '300', DRAIN_JITTER_MS: '0' });
    const b = await startDemoApp({ APP_VERSION: 'v2' });
    const proxy = await startForwarder(a.port);
    try {
      const probe = await startProbe({
        url: proxy.url,
        rps: 20,
        streams: { count: 1, path: '/stream?seconds=0.3&kbps=64' },
        sse: { count: 3, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      });
      await sleep(800);
      proxy.target(b.port); // the endpoint moved (preStop), then the old pod gets SIGTERM
      await a.kill('SIGTERM');
      assert.equal(await a.exited, 0);
      await sleep(1000);
      const record = await probe.stop();
      for (const c of [record.sse, record.websockets]) {
        assert.ok(c);
        assert.equal(c.cut, 0, JSON.stringify(c.cuts));
        assert.equal(c.closedGracefully, c.target);
        assert.equal(c.resumed, c.target, 'every client reconnected');
        assert.equal(c.messagesLost, 0);
        assert.equal(c.messagesDuplicated, 0);
        assert.ok(c.resumeGapMs !== null && c.resumeGapMs.maxMs < 3000, JSON.stringify(c.resumeGapMs));
        assert.equal(c.byVersion.v1?.closedGracefully, c.target);
        assert.equal(c.byVersion.v1?.resumed, c.target);
        assert.ok((c.byVersion.v2?.opened ?? 0) >= c.target, 'resumed on v2');
      }
      assert.equal(probe.stats().streamsCut, 0);
      assert.equal(probe.stats().connectionsResumed, 4);
      assert.equal(probe.stats().messagesLost, 0);
      assert.ok((record.streams?.completed ?? 0) >= 2, `streams completed: ${record.streams?.completed}`);
      assert.ok((record.streams?.byVersion.v1?.completed ?? 0) >= 1);
    } finally {
      await proxy.close();
      await a.kill();
      await b.kill();
    }
  });

  it('counts messages lost across a resume, and an SSE end in the middle of an event as a cut', T, async () => {
    let connection = 0;
    const server = await startTestServer((req, res) => {
      if (req.url !== '/events') {
        res.writeHead(200).end();
        return;
      }
      connection += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-app-version': connection === 1 ? 'v1' : 'v2' });
      if (connection === 1) {
        res.end('id: 1\ndata: a\n\nid: 2\ndata: b\n\n'); // graceful end after id 2
      } else if (connection === 2) {
        assert.equal(req.headers['last-event-id'], '2');
        res.end('id: 5\ndata: e\n\nid: 6\ndata: f'); // 3 and 4 lost, then an end mid-event: cut
      } else {
        res.write(`id: ${connection + 10}\ndata: x\n\n`); // stays open until the probe stops
      }
      req.resume();
    });
    try {
      const probe = await startProbe({ url: server.url, rps: 5, sse: { count: 1, path: '/events' } });
      await sleep(500);
      const sse = (await probe.stop()).sse;
      assert.ok(sse);
      assert.equal(sse.closedGracefully, 1);
      assert.equal(sse.resumed, 1);
      assert.equal(sse.cut, 1);
      assert.equal(sse.byVersion.v1?.messagesLost, 2, 'lost across the v1 close');
      assert.ok(sse.messagesLost >= 2);
      assert.equal(sse.resumes.kept[0]?.lost, 2);
      assert.match(sse.cuts.kept[0]?.message ?? '', /middle of an event/);
    } finally {
      await server.close();
    }
  });

  it('detects write-then-read data loss: a dropped row and a changed row', T, async () => {
    const rows = new Map<string, string>();
    let writes = 0;
    const server = await startTestServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        if (req.method === 'POST') {
          writes += 1;
          const { first_name, last_name } = JSON.parse(body) as { first_name: string; last_name: string };
          const id = String(writes);
          // Write 3 is acknowledged but never stored; write 5 is stored wrong.
          if (writes !== 3) rows.set(id, writes === 5 ? `${first_name} X` : `${first_name} ${last_name}`);
          res.writeHead(201, { 'content-type': 'application/json', 'x-app-version': 'v2' });
          res.end(JSON.stringify({ id }));
          return;
        }
        const id = (req.url ?? '').split('/').pop() ?? '';
        const name = rows.get(id);
        res.writeHead(name === undefined ? 404 : 200, { 'content-type': 'application/json', 'x-app-version': 'v3' });
        res.end(JSON.stringify(name === undefined ? { error: 'no such user' } : { id, full_name: name }));
      });
    });
    try {
      const probe = await startProbe({ url: server.url, rps: 10, writes: { path: '/users', rps: 20 } });
      await sleep(500);
      const record = await probe.stop();
      const w = record.writes;
      assert.ok(w !== null);
      assert.equal(w.attempted, writes);
      assert.ok(writes >= 8, `writes: ${writes}`);
      assert.equal(w.lost, 2);
      assert.equal(w.verified, writes - 2);
      assert.equal(w.writeFailed, 0);
      assert.deepEqual(
        w.losses.kept.map((l) => [l.id, l.got.startsWith('HTTP 404'), l.writtenBy, l.readBy]),
        [
          ['3', true, 'v2', 'v3'],
          ['5', false, 'v2', 'v3'],
        ],
      );
    } finally {
      await server.close();
    }
  });

  it('tells a failed write and an unreadable row apart from data loss', T, async () => {
    let posts = 0;
    const server = await startTestServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'POST') {
          posts += 1;
          // Odd writes are refused (no acknowledgement); even ones acknowledged but never readable.
          if (posts % 2 === 1) res.writeHead(500).end('{}');
          else res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(posts) }));
          return;
        }
        res.writeHead(503).end('{}');
      });
    });
    try {
      const probe = await startProbe({ url: server.url, rps: 5, writes: { path: '/users', rps: 10 } });
      await sleep(600);
      const w = (await probe.stop()).writes;
      assert.ok(w !== null && w.attempted === posts && posts >= 4);
      assert.equal(w.writeFailed, Math.ceil(posts / 2));
      assert.equal(w.readFailed, Math.floor(posts / 2));
      assert.equal(w.lost, 0, 'an unreadable row is inconclusive, not lost');
      assert.equal(w.verified, 0);
    } finally {
      await server.close();
    }
  });

  it('measures the version split, overall and per bucket, as the backend switches', T, async () => {
    let switched = false;
    const served = { v1: 0, v2: 0 };
    const server = await startTestServer((req, res) => {
      const v = switched ? 'v2' : 'v1';
      served[v] += 1;
      res.writeHead(200, { 'x-app-version': v });
      res.end();
      req.resume();
    });
    try {
      const probe = await startProbe({ url: server.url, rps: 100, bucketMs: 100 });
      await sleep(500);
      switched = true;
      probe.mark('switch');
      await sleep(500);
      const record = await probe.stop();
      assert.deepEqual(record.requests.byVersion, served);
      const switchT = (record.marks[0]?.at ?? 0) - record.startedAt;
      // Margins around the switch: server and probe share this process's event loop, and a
      // request sent just before the switch may be handled just after it on a loaded machine.
      const early = record.buckets.filter((b) => b.t + 100 < switchT - 60);
      const runMs = record.stoppedAt - record.startedAt;
      // The last bucket is partial (the probe stopped inside it) and may hold no request.
      const late = record.buckets.filter((b) => b.t > switchT + 60 && b.t + 100 <= runMs);
      assert.ok(early.length >= 2 && late.length >= 2, `${early.length} early, ${late.length} late buckets`);
      assert.ok(early.every((b) => b.byVersion.v2 === undefined && (b.byVersion.v1 ?? 0) > 0));
      assert.ok(late.every((b) => b.byVersion.v1 === undefined && (b.byVersion.v2 ?? 0) > 0));
      const mid = record.requests.total;
      assert.equal(probe.stats(record.marks[0]?.at).byVersion.v1, undefined, `stats since the mark: only v2 (of ${mid})`);
    } finally {
      await server.close();
    }
  });
});
