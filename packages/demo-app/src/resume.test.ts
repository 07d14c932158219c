import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, request } from 'node:http';
import WebSocket from 'ws';
import { http, startApp } from './test-support.js';

const T = { timeout: 20_000 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads SSE ids from one response until it ends (or `stopAfter` ids), with the headers sent. */
function sseIds(url: string, headers: Record<string, string>, stopAfter = Infinity): Promise<{ ids: number[]; ended: 'end' | 'stopped' }> {
  return new Promise((resolve, reject) => {
    const ids: number[] = [];
    const req = get(url, { agent: false, headers }, (res) => {
      let buf = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const m = /^id: (\d+)/m.exec(buf.slice(0, i));
          if (m) ids.push(Number(m[1]));
          buf = buf.slice(i + 2);
        }
        if (ids.length >= stopAfter) {
          req.destroy();
          resolve({ ids, ended: 'stopped' });
        }
      });
      res.on('end', () => resolve({ ids, ended: 'end' }));
    });
    req.on('error', reject);
  });
}

describe('demo-app resumable streams', () => {
  it('SSE: a client that resumes on another pod with Last-Event-ID sees every id once', T, async () => {
    const a = await startApp({ APP_VERSION: 'v1', DRAIN_JITTER_MS: '0' });
    const b = await startApp({ APP_VERSION: 'v2' });
    try {
      const first = sseIds(`${a.url}/events`, {});
      await sleep(700);
      a.child.kill('SIGTERM'); // pod a drains: the SSE response ends cleanly at once
      const before = await first;
      assert.equal(before.ended, 'end');
      assert.ok(before.ids.length >= 2, JSON.stringify(before.ids));
      await sleep(600); // the client is away for a while: events are due meanwhile
      const last = before.ids.at(-1)!;
      const after = await sseIds(`${b.url}/events`, { 'last-event-id': String(last) }, 4);
      const all = [...before.ids, ...after.ids];
      for (let i = 1; i < all.length; i++) assert.equal(all[i], all[i - 1]! + 1, `no gap, no repeat: ${JSON.stringify(all)}`);
      assert.equal(await a.exited, 0);
    } finally {
      await a.kill();
      await b.kill();
    }
  });

  it('WebSocket: closed with 1001 at SIGTERM (not at the deadline); ?after=K resumes without loss', T, async () => {
    const a = await startApp({ APP_VERSION: 'v1', DRAIN_TIMEOUT_MS: '5000', DRAIN_JITTER_MS: '0' });
    const b = await startApp({ APP_VERSION: 'v2' });
    try {
      const ids: number[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${a.port}/ws`);
      ws.on('message', (d) => ids.push((JSON.parse(String(d)) as { id: number }).id));
      await new Promise((r) => ws.on('open', r));
      await sleep(600);
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      const t0 = Date.now();
      a.child.kill('SIGTERM');
      assert.equal(await closed, 1001);
      assert.ok(Date.now() - t0 < 1500, 'closed promptly, not at the 5 s drain deadline');
      await sleep(500);
      const again = new WebSocket(`ws://127.0.0.1:${b.port}/ws?after=${ids.at(-1)}`);
      again.on('message', (d) => ids.push((JSON.parse(String(d)) as { id: number }).id));
      await new Promise((r) => again.on('open', r));
      await sleep(400);
      again.close();
      for (let i = 1; i < ids.length; i++) assert.equal(ids[i], ids[i - 1]! + 1, JSON.stringify(ids));
    } finally {
      await a.kill();
      await b.kill();
    }
  });

  it('downloads resume with Range: 206 and the rest of the bytes; a bad range is 416', T, async () => {
    const app = await startApp({ APP_VERSION: 'v1' });
    try {
      const part = await new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
        const req = request(`${app.url}/stream?seconds=0.5&kbps=16`, { agent: false, headers: { range: 'bytes=600-' } }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(part.status, 206);
      assert.equal(part.headers['content-range'], 'bytes 600-999/1000');
      assert.equal(part.bytes, 400);
      const bad = await new Promise<number>((resolve, reject) => {
        const req = request(`${app.url}/stream?seconds=0.5&kbps=16`, { agent: false, headers: { range: 'bytes=5000-' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(bad, 416);
    } finally {
      await app.kill();
    }
  });

  it('/metrics counts open streams by kind; POST /admin/drain ends SSE/WebSocket, keeps downloads', T, async () => {
    const app = await startApp({ APP_VERSION: 'v2', DRAIN_JITTER_MS: '0' });
    try {
      const sse = sseIds(`${app.url}/events`, {});
      const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws`);
      const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await new Promise((r) => ws.on('open', r));
      const download = http(`${app.url}/stream?seconds=1.5&kbps=8`);
      await sleep(300);
      const gauge = (text: string, kind: string): number =>
        Number(new RegExp(`^demo_open_streams\\{[^}]*kind="${kind}"[^}]*\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
      const open = (await http(`${app.url}/metrics`)).body;
      assert.equal(gauge(open, 'sse'), 1, open);
      assert.equal(gauge(open, 'websocket'), 1);
      assert.equal(gauge(open, 'download'), 1);
      const drained = await http(`${app.url}/admin/drain`, { method: 'POST' });
      assert.equal(drained.status, 200);
      assert.equal((await sse).ended, 'end');
      assert.equal(await wsClosed, 1001);
      const left = (await http(`${app.url}/metrics`)).body;
      assert.equal(gauge(left, 'sse') + gauge(left, 'websocket'), 0, left);
      assert.equal(gauge(left, 'download'), 1, 'the download keeps going');
      assert.equal((await download).body.length, 1500, 'and completes');
      assert.equal(gauge((await http(`${app.url}/metrics`)).body, 'download'), 0);
    } finally {
      await app.kill();
    }
  });
});
