import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { IpAllocator, boundAddresses } from './ip-allocator.js';

test('allocates unique IPs, skipping busy ones, from a random start', () => {
  const a = new IpAllocator(
    '127.244',
    () => new Set(['127.244.0.3']),
    () => 0,
  );
  assert.equal(a.allocate(), '127.244.0.2');
  assert.equal(a.allocate(), '127.244.0.4');
  a.release('127.244.0.2');
  assert.equal(a.allocate(), '127.244.0.5', 'a freed IP is not reused at once');
  const r = new IpAllocator(
    '127.9',
    () => new Set(),
    () => 0.5,
  );
  assert.match(r.allocate(), /^127\.9\.(12[6-9]|1[3-9]\d)\.\d+$/);
  assert.throws(() => new IpAllocator('10.0'));
});

test('sees sockets bound on loopback addresses', { timeout: 5000 }, async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.251.7.9', () => r()));
  try {
    assert.ok(boundAddresses().has('127.251.7.9'));
  } finally {
    s.close();
  }
});
