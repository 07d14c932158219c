import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { startCluster, type Cluster } from '@baton/kubesim';
import { runLockContract } from '../engine/testing/run-lock-contract.js';
import type { KubeClient } from './kube-client.js';
import { ClientNodeKubeClient } from './client-node-kube-client.js';
import { LeaseLock } from './lease-lock.js';

describe('LeaseLock on kubesim', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await startCluster({ images: {} });
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
    for (const name of ['prod', 'staging']) await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  after(async () => {
    await cluster?.stop();
  });

  runLockContract('LeaseLock', async () => ({
    a: new LeaseLock(kube),
    b: new LeaseLock(kube),
    cleanup: async () => {
      for (const app of ['web', 'api'])
        for (const ns of ['prod', 'staging'])
          await kube.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: `baton-${app}`, namespace: ns });
    },
  }));

  test('a holder whose process died on this host is taken over at once (resume after a crash)', async () => {
    const target = { app: 'crashed', namespace: 'prod' };
    await new LeaseLock(kube).acquire(target, `baton pid 999999 on ${hostname()}`); // no such pid
    const handle = await new LeaseLock(kube).acquire(target, 'baton pid 1 on elsewhere');
    await handle.release();
  });

  test('a live holder elsewhere keeps the lock until its lease expires', async () => {
    let now = Date.now();
    const target = { app: 'remote', namespace: 'prod' };
    await new LeaseLock(kube, { now: () => now, leaseDurationSeconds: 30 }).acquire(target, 'baton pid 123 on another-host');
    await assert.rejects(new LeaseLock(kube, { now: () => now }).acquire(target, 'me'), /locked by baton pid 123 on another-host/);
    now += 31_000;
    const handle = await new LeaseLock(kube, { now: () => now }).acquire(target, 'me');
    await handle.release();
  });
});
