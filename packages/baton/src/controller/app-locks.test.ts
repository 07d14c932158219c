import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, type Cluster } from '@baton/kubesim';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { AppLocks } from './app-locks.js';

/** A client whose next `failures` replace calls fail as a dropped connection would. */
class FlakyKube extends ClientNodeKubeClient {
  failures = 0;
  override async replace<T extends KubeObject>(object: KubeObject): Promise<T> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('socket hang up');
    }
    return super.replace<T>(object);
  }
}

describe('AppLocks: the controller keeps an app Lease through transient API errors', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let client: ClientNodeKubeClient;
  const kube = () => client;
  before(async () => {
    cluster = await startCluster({ images: {} });
    client = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
  });
  after(async () => {
    await cluster?.stop();
  });

  test('one failed renewal keeps the lock; renewals failing until the Lease would expire lose it', async () => {
    const flaky = new FlakyKube({ kubeconfigText: cluster.kubeconfig });
    let now = Date.now();
    const locks = new AppLocks(flaky, { leaseDurationSeconds: 15, renewMs: 40, now: () => now });
    const target = { app: 'shop', namespace: 'default' };
    await locks.acquire(target, 'default/shop');
    flaky.failures = 1;
    now += 5_000;
    await sleep(200); // several ticks: the first fails, the next succeed
    assert.equal(flaky.failures, 0, 'the failing call was made');
    assert.equal(locks.holds(target, 'default/shop'), true, 'a transient error does not lose the lock');

    flaky.failures = 1_000;
    now += 14_000; // 14 s without a renewal: the Lease (15 s) is still ours for a while
    await sleep(200);
    assert.equal(locks.holds(target, 'default/shop'), true, 'still within the lease');
    now += 970; // 14.97 s: the next tick (every 40 ms) would come after the Lease expired
    await sleep(200);
    assert.equal(locks.holds(target, 'default/shop'), false, 'lost before the Lease can expire');
    flaky.failures = 0;
    await locks.release(target);
  });

  test('a Lease taken by another holder is lost at the next renewal', async () => {
    const locks = new AppLocks(kube(), { renewMs: 40 });
    const target = { app: 'cart', namespace: 'default' };
    await locks.acquire(target, 'default/cart');
    const lease = await kube().get<KubeObject & { spec: Record<string, unknown> }>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      name: 'baton-cart',
      namespace: 'default',
    });
    await kube().replace({ ...lease!, spec: { ...lease!.spec, holderIdentity: 'someone else' } });
    await sleep(200);
    assert.equal(locks.holds(target, 'default/cart'), false);
    locks.dropAll();
  });
});
