import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import WebSocket from 'ws';
import { http, startApp } from './test-support.js';
import { streamLength } from './stream-route.js';

const T = { timeout: 20_000 };

function readEvents(url: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      let buf = '';
      const events: string[] = [];
      res.setEncoding('utf8').on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          events.push(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
        if (events.length >= count) {
          req.destroy();
          resolve(events.slice(0, count));
        }
      });
    });
    req.on('error', reject);
  });
}

for (const version of ['v1', 'v2', 'v3'] as const) {
  describe(`demo-app ${version} endpoints`, () => {
    it('answers every endpoint with its version and pod headers', T, async () => {
      const app = await startApp({ APP_VERSION: version, POD_NAME: `pod-${version}` });
      try {
        const root = await http(`${app.url}/`);
        assert.equal(root.status, 200);
        assert.deepEqual(JSON.parse(root.body), { version, pod: `pod-${version}` });
        assert.equal(root.headers['x-app-version'], version);
        assert.equal(root.headers['x-pod-name'], `pod-${version}`);
        for (const path of ['/health', '/ready', '/startup']) {
          const r = await http(`${app.url}${path}`);
          assert.equal(r.status, 200, path);
          assert.equal(r.headers['x-app-version'], version);
        }
        assert.equal((await http(`${app.url}/nope`)).status, 404);
        // Users API without a database: a clear 503, not a crash.
        assert.equal((await http(`${app.url}/users`, { method: 'POST', body: { first_name: 'a', last_name: 'b' } })).status, 503);

        const stream = await http(`${app.url}/stream?seconds=0.5&kbps=16`);
        assert.equal(stream.status, 200);
        assert.equal(stream.headers['content-length'], String(streamLength(0.5, 16)));
        assert.equal(stream.body.length, 1000);

        const events = await readEvents(`${app.url}/events`, 3);
        assert.equal(events[0], 'retry: 250');
        const id = /^id: (\d+)\nevent: tick\ndata: \{"tick":(\d+),"version":"/.exec(events[1] ?? '');
        assert.ok(id && id[1] === id[2], events[1]);
        assert.ok(events[2]?.startsWith(`id: ${Number(id[1]) + 1}\n`), 'ids follow each other');
        assert.ok(events[2]?.includes(`"version":"${version}"`));

        const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws`);
        const upgradeVersion = await new Promise<string | undefined>((resolve, reject) => {
          ws.on('upgrade', (res) => resolve(res.headers['x-app-version'] as string | undefined));
          ws.on('error', reject);
        });
        assert.equal(upgradeVersion, version);
        await new Promise((r) => ws.once('open', r).readyState === WebSocket.OPEN && r(undefined));
        const messages: string[] = [];
        ws.on('message', (data) => messages.push(String(data)));
        ws.send('hello');
        await new Promise((r) => setTimeout(r, 600));
        assert.ok(messages.includes('hello'), 'echo');
        assert.ok(
          messages.some((m) => m.includes('"tick"') && m.includes(version)),
          'tick',
        );
        ws.close();
      } finally {
        await app.kill();
      }
    });
  });
}

describe('demo-app failure knobs', () => {
  it('DEMO_ERROR_RATE=1 fails every GET / with 500 but keeps health green', T, async () => {
    const app = await startApp({ APP_VERSION: 'v2', DEMO_ERROR_RATE: '1' });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await http(`${app.url}/`)).status, 500);
      assert.equal((await http(`${app.url}/health`)).status, 200);
    } finally {
      await app.kill();
    }
  });

  it('DEMO_STARTUP_DELAY_MS holds /startup and /ready at 503, then passes', T, async () => {
    const app = await startApp({ APP_VERSION: 'v1', DEMO_STARTUP_DELAY_MS: '700' });
    try {
      assert.equal((await http(`${app.url}/startup`)).status, 503);
      assert.equal((await http(`${app.url}/ready`)).status, 503);
      assert.equal((await http(`${app.url}/health`)).status, 200);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal((await http(`${app.url}/startup`)).status, 200);
      assert.equal((await http(`${app.url}/ready`)).status, 200);
    } finally {
      await app.kill();
    }
  });

  it('DEMO_FAIL_READINESS=1 is never ready; DATABASE_URL unreachable is not ready', T, async () => {
    const a = await startApp({ APP_VERSION: 'v1', DEMO_FAIL_READINESS: '1' });
    const b = await startApp({ APP_VERSION: 'v1', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      assert.equal((await http(`${a.url}/ready`)).status, 503);
      assert.equal((await http(`${a.url}/`)).status, 200);
      const r = await http(`${b.url}/ready`);
      assert.equal(r.status, 503);
      assert.match(r.body, /database unreachable/);
    } finally {
      await a.kill();
      await b.kill();
    }
  });

  it('DEMO_CRASH_AFTER_MS exits 1; a missing APP_VERSION refuses to start', T, async () => {
    const app = await startApp({ APP_VERSION: 'v3', DEMO_CRASH_AFTER_MS: '300' });
    assert.equal(await app.exited, 1);
    await assert.rejects(startApp({}), /APP_VERSION must be v1, v2 or v3/);
  });
});
