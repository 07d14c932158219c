import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from './index.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('server identity with a data dir', { timeout: 30_000 }, () => {
  it('a kubeconfig written before a restart still works after it (same token and CA)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubesim-identity-'));
    try {
      const port = await freePort();
      const first = await startApiServer({ dataDir: dir, port });
      const kubeconfig = first.kubeconfig();
      await first.stop();
      assert.equal(((await stat(join(dir, 'identity.json'))).mode & 0o777).toString(8), '600');
      const second = await startApiServer({ dataDir: dir, port });
      try {
        assert.equal(second.token, first.token);
        const kc = new k8s.KubeConfig();
        kc.loadFromString(kubeconfig);
        const namespaces = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
        assert.ok(namespaces.items.some((n) => n.metadata?.name === 'default'));
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a data dir every start has its own token', async () => {
    const a = await startApiServer();
    const b = await startApiServer();
    try {
      assert.notEqual(a.token, b.token);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
