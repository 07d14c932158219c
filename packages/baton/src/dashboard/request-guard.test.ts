import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { guardRequest } from './request-guard.js';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as IncomingMessage;
const auth = { kind: 'token', token: 'the-token-0123456789', where: 'it is in Secret ns/baton-dashboard' } as const;

test("'loopback' hosts: any local port (kubectl port-forward's), never another name", async () => {
  for (const host of ['127.0.0.1:18080', 'localhost:1', '[::1]:65535', '127.0.0.1']) {
    const v = await guardRequest(req({ host, authorization: 'Bearer the-token-0123456789' }), {
      auth,
      allowedHosts: 'loopback',
      changesState: false,
    });
    assert.deepEqual(v, { ok: true }, host);
  }
  for (const host of ['evil.example:8080', '127.0.0.1.evil.example:8080', '10.0.0.7:8080', '']) {
    const v = await guardRequest(req({ host, authorization: 'Bearer the-token-0123456789' }), {
      auth,
      allowedHosts: 'loopback',
      changesState: false,
    });
    assert.equal(v.ok ? 'ok' : v.code, 'BAD_HOST', host);
  }
});

test('a wrong or missing token is told where the token is', async () => {
  const wrong = await guardRequest(req({ host: '127.0.0.1:1', authorization: 'Bearer nope' }), {
    auth,
    allowedHosts: 'loopback',
    changesState: false,
  });
  assert.deepEqual(wrong.ok ? undefined : [wrong.status, wrong.code, wrong.message], [
    401,
    'TOKEN_WRONG',
    'wrong dashboard token: it is in Secret ns/baton-dashboard',
  ]);
  const missing = await guardRequest(req({ host: '127.0.0.1:1' }), { auth, allowedHosts: 'loopback', changesState: false });
  assert.equal(missing.ok ? undefined : missing.code, 'TOKEN_MISSING');
});
