import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { get } from 'node:http';
import WebSocket from 'ws';
import { http, startApp } from './test-support.js';

const T = { timeout: 20_000 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends raw HTTP on one keep-alive socket and collects everything the server writes back. */
function rawSession(port: number, payload: string): { text: () => string; ended: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1').on('data', (c: string) => (text += c));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(payload);
  return { text: () => text, ended };
}

describe('demo-app graceful drain (SIGTERM)', () => {
  it('finishes in-flight requests and streams, refuses new connections, says Connection: close, exits 0', T, async () => {
    const app = await startApp({ APP_VERSION: 'v1', DRAIN_TIMEOUT_MS: '5000', KEEPALIVE_TIMEOUT_MS: '700' });
    try {
      // A slow request in flight on a keep-alive socket (its response starts after the drain
      // began), and a stream in flight on another connection.
      const session = rawSession(app.port, 'GET /slow?ms=800 HTTP/1.1\r\nhost: x\r\n\r\n');
      const stream = http(`${app.url}/stream?seconds=1&kbps=80`);
      // Two idle keep-alive connections. The drain does not close them under a client that may be
      // sending right now: one sends again during the drain and gets its answer with
      // Connection: close; the other stays silent and is closed by the keep-alive timeout.
      const reused = connect(app.port, '127.0.0.1');
      let reusedText = '';
      reused.setEncoding('latin1').on('data', (c: string) => (reusedText += c));
      const reusedEnded = new Promise<void>((resolve) => reused.on('close', () => resolve()));
      reused.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
      const silent = rawSession(app.port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n');
      await sleep(250);
      app.child.kill('SIGTERM');
      await sleep(100);
      reused.write('GET /ready HTTP/1.1\r\nhost: x\r\n\r\n');
      await reusedEnded;
      // Not ready any more (so the kubelet takes it out of endpoints), and told to go elsewhere.
      const second = reusedText.slice(reusedText.lastIndexOf('HTTP/1.1 '));
      assert.match(second, /^HTTP\/1.1 503 Service Unavailable/);
      assert.match(second, /connection: close/i);
      assert.match(second, /"reason":"draining"/);
      const t0 = Date.now();
      await silent.ended;
      assert.ok(Date.now() - t0 < 1_500, 'the silent idle connection closed by the keep-alive timeout');
      await sleep(150);
      // New connections are refused while the old ones drain.
      await assert.rejects(http(`${app.url}/`), /ECONNREFUSED/);
      await session.ended;
      const text = session.text();
      assert.match(text, /^HTTP\/1.1 200 OK/);
      assert.match(text, /connection: close/i);
      assert.match(text, /"sleptMs":800/);
      const streamed = await stream;
      assert.equal(streamed.status, 200);
      assert.equal(streamed.body.length, 10_000, 'the whole stream body arrived');
      assert.equal(await app.exited, 0);
    } finally {
      await app.kill();
    }
  });

  it('ends SSE and WebSockets cleanly at once, and cuts an unfinished stream at DRAIN_TIMEOUT_MS', T, async () => {
    const app = await startApp({ APP_VERSION: 'v2', DRAIN_TIMEOUT_MS: '600' });
    try {
      let sse = '';
      const sseEnded = new Promise<void>((resolve) => {
        get(`${app.url}/events`, { agent: false }, (res) => {
          res.setEncoding('utf8').on('data', (c: string) => (sse += c));
          res.on('end', () => resolve());
        });
      });
      let streamBytes = 0;
      const streamOutcome = new Promise<string>((resolve) => {
        const req = get(`${app.url}/stream?seconds=5&kbps=8`, { agent: false }, (res) => {
          res.on('data', (c: Buffer) => (streamBytes += c.length));
          res.on('end', () => resolve('end'));
          res.on('error', () => resolve('error'));
          res.on('aborted', () => resolve('aborted'));
        });
        req.on('error', () => resolve('error'));
      });
      const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws`);
      await new Promise((r) => ws.on('open', r));
      const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await sleep(300);
      const t0 = Date.now();
      app.child.kill('SIGTERM');
      await sseEnded;
      assert.match(sse, /event: bye/);
      assert.equal(await wsClosed, 1001);
      assert.notEqual(await streamOutcome, 'end');
      assert.ok(streamBytes < 5000, `stream was cut (${streamBytes} of 5000 bytes)`);
      assert.equal(await app.exited, 0);
      assert.ok(Date.now() - t0 >= 550, 'the download was given the drain timeout');
    } finally {
      await app.kill();
    }
  });
});
