import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReachable } from './probe-reachability.js';

test('any HTTP answer is reachable; a refused connection is not, with fixes naming the Service', async () => {
  const server = createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  assert.deepEqual(await checkReachable({ url: `http://127.0.0.1:${port}` }), { kind: 'reachable', status: 503 });
  await new Promise<void>((r) => server.close(() => r()));
  const verdict = await checkReachable({
    url: `http://127.0.0.1:${port}`,
    fromClusterIp: true,
    service: { namespace: 'shop', name: 'web', port: 80 },
  });
  assert.equal(verdict.kind, 'unreachable');
  if (verdict.kind !== 'unreachable') return;
  assert.match(verdict.reason, /ECONNREFUSED/);
  assert.equal(verdict.fixes.length, 3);
  assert.match(verdict.fixes[0]!, /--in-cluster/);
  assert.match(verdict.fixes[2]!, /namespaces\/shop\/services\/web:80\/proxy/);
});
