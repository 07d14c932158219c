import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpGate } from './http.js';
import { createTestRunContext } from '../engine/testing/test-run-context.js';
import { isBatonError } from '../errors.js';

const env = { startedAt: 0 };

async function withServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const routes = (req: IncomingMessage, res: ServerResponse) => {
  if (req.url === '/ok') return void res.end('fine');
  if (req.url === '/down') return void res.writeHead(503).end('no');
  if (req.url === '/json') {
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ status: 'ok', checks: [{ db: { up: true, n: 2 } }] }));
  }
  if (req.url === '/text') return void res.end('not json');
  if (req.url === '/header') return void res.writeHead(req.headers['x-token'] === 's3cret' ? 200 : 401).end();
  if (req.url === '/slow') return; // never answers
  res.writeHead(404).end();
};

test('http gate: 2xx passes, other statuses fail with the status', { timeout: 5000 }, async () => {
  await withServer(routes, async (base) => {
    const ctx = createTestRunContext();
    assert.equal((await createHttpGate({ kind: 'http', url: `${base}/ok` }, env).evaluate(ctx)).kind, 'pass');
    const down = await createHttpGate({ kind: 'http', url: `${base}/down` }, env).evaluate(ctx);
    assert.deepEqual(down, { kind: 'fail', reason: `GET ${base}/down: status 503, expected 2xx` });
    const expected = await createHttpGate({ kind: 'http', url: `${base}/down`, expectStatus: [200, 503] }, env).evaluate(ctx);
    assert.equal(expected.kind, 'pass');
    const headers = await createHttpGate({ kind: 'http', url: `${base}/header`, headers: { 'x-token': 's3cret' } }, env).evaluate(ctx);
    assert.equal(headers.kind, 'pass');
  });
});

test('http gate: a JSON field must equal the expected value', { timeout: 5000 }, async () => {
  await withServer(routes, async (base) => {
    const ctx = createTestRunContext();
    const gate = (path: string, equals: unknown) =>
      createHttpGate({ kind: 'http', url: `${base}/json`, json: { path, equals } } as never, env).evaluate(ctx);
    assert.equal((await gate('status', 'ok')).kind, 'pass');
    assert.equal((await gate('checks.0.db', { n: 2, up: true })).kind, 'pass', 'key order does not matter');
    assert.deepEqual(await gate('status', 'degraded'), {
      kind: 'fail',
      reason: `GET ${base}/json: status is "ok", expected "degraded"`,
    });
    assert.match(((await gate('nope.deeper', 1)) as { reason: string }).reason, /nope\.deeper is missing/);
    const text = await createHttpGate({ kind: 'http', url: `${base}/text`, json: { path: 'a', equals: 1 } }, env).evaluate(ctx);
    assert.deepEqual(text, { kind: 'fail', reason: `GET ${base}/text: body is not JSON` });
  });
});

test('http gate: unreachable and too slow are failures, not passes', { timeout: 5000 }, async () => {
  let closedUrl = '';
  await withServer(routes, async (base) => {
    closedUrl = `${base}/ok`;
    const ctx = createTestRunContext();
    const slow = await createHttpGate({ kind: 'http', url: `${base}/slow`, requestTimeoutMs: 100 }, env).evaluate(ctx);
    assert.equal(slow.kind, 'fail');
  });
  const refused = await createHttpGate({ kind: 'http', url: closedUrl }, env).evaluate(createTestRunContext());
  assert.equal(refused.kind, 'fail');
  assert.match((refused as { reason: string }).reason, /ECONNREFUSED/);
});

test('http gate: cancelling the run cancels the request (no verdict)', { timeout: 5000 }, async () => {
  await withServer(routes, async (base) => {
    const controller = new AbortController();
    const ctx = createTestRunContext({ signal: controller.signal });
    const pending = createHttpGate({ kind: 'http', url: `${base}/slow` }, env).evaluate(ctx);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending);
  });
});

test('http gate: invalid config is GATE_INVALID', () => {
  assert.throws(
    () => createHttpGate({ kind: 'http', url: 'ftp://x' }, env),
    (e) => isBatonError(e) && e.code === 'GATE_INVALID',
  );
  assert.throws(
    () => createHttpGate({ kind: 'http' }, env),
    (e) => isBatonError(e) && /url/.test(e.message),
  );
});
