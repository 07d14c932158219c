import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from './handler-action.js';
import type { ActionTarget } from './handler-action.js';

test('httpGet: 200-399 pass, others fail; named ports, headers, timeouts; tcpSocket; exec', { timeout: 15_000 }, async () => {
  let seenHeader = '';
  const server = createServer((req, res) => {
    seenHeader = String(req.headers['x-probe'] ?? '');
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    res.statusCode = Number(req.url?.slice(1)) || 200;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.246.0.9', () => r()));
  const port = (server.address() as AddressInfo).port;
  const target: ActionTarget = {
    podIP: '127.246.0.9',
    container: { name: 'c', ports: [{ name: 'web', containerPort: port }] },
    env: { PATH: '/usr/bin:/bin', WHO: 'probe' },
    cwd: '/tmp',
  };
  try {
    assert.equal(
      (await runAction({ httpGet: { path: '/204', port: 'web', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target, 1000)).kind,
      'success',
    );
    assert.equal(seenHeader, 'yes');
    assert.equal((await runAction({ httpGet: { path: '/302', port } }, target, 1000)).kind, 'success');
    const r500 = await runAction({ httpGet: { path: '/500', port } }, target, 1000);
    assert.deepEqual(r500, { kind: 'failure', message: 'HTTP probe failed with statuscode: 500' });
    const slow = await runAction({ httpGet: { path: '/slow', port } }, target, 200);
    assert.equal(slow.kind, 'failure');
    assert.match(slow.kind === 'failure' ? slow.message : '', /deadline exceeded/);
    assert.equal((await runAction({ httpGet: { path: '/', port: 'nope' } }, target, 1000)).kind, 'failure');
    assert.equal((await runAction({ tcpSocket: { port } }, target, 1000)).kind, 'success');
    assert.equal((await runAction({ tcpSocket: { port: 1 } }, target, 1000)).kind, 'failure');
    assert.equal(
      (await runAction({ exec: { command: ['sh', '-c', 'test "$WHO" = probe && test "$(pwd)" = /tmp'] } }, target, 2000)).kind,
      'success',
    );
    assert.equal((await runAction({ exec: { command: ['sh', '-c', 'exit 1'] } }, target, 2000)).kind, 'failure');
    const t = await runAction({ exec: { command: ['sleep', '5'] } }, target, 200);
    assert.match(t.kind === 'failure' ? t.message : '', /timed out/);
    assert.match(
      ((await runAction({ exec: { command: ['nope-cmd'] } }, target, 200)) as { message: string }).message,
      /executable file not found/,
    );
    assert.match(((await runAction({ grpc: { port } }, target, 200)) as { message: string }).message, /not supported/);
  } finally {
    server.close();
  }
});
