import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../kube/kube-client.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { startTestCluster, type TestCluster } from '../../testing/demo-cluster.js';
import { createRouter } from '../index.js';
import type { RouterConfig, TrafficRouter } from '../traffic-router.js';
import { applyRouterFixture } from './router-fixture.js';
import { sampleSplit, shareOf } from './split-sampler.js';

export interface RouterContractCase {
  config: RouterConfig;
  host: string;
  /** Objects the user owns (main Ingress, Gateway), applied once before the suite. */
  userObjects?: KubeObject[];
  fixture?: { stableReplicas?: number; canaryReplicas?: number };
  /** An object baton did not create sitting where the router writes, or a reason it has none. */
  foreign: KubeObject | { skip: string };
  /** Why header/cookie routes are not run, for routers that cannot match requests. */
  skipRoutes?: string;
  /** Weights measured (default 10, 50, 90), and weights the router must refuse besides the out-of-range ones. */
  weights?: number[];
  refusedWeights?: number[];
  /** Tolerance of the measured split in points. */
  tolerance?: number;
}

const requests = 2500;
// kubesim's proxies learn changes propagationDelayMs (500) late; measure after twice that.
const settleMs = 1200;

/**
 * One suite every TrafficRouter runs against kubesim's ingress with demo-app v1 (stable) and v2
 * (canary): ownership refusal, weight bounds, measured split per weight, header/cookie routes.
 */
export function describeRouterContract(c: RouterContractCase): void {
  describe(`traffic router contract: ${c.config.kind}`, { timeout: 170_000 }, () => {
    let t: TestCluster;
    let router: TrafficRouter;
    before(async () => {
      t = await startTestCluster();
      await applyRouterFixture(t.kube, c.fixture);
      for (const o of c.userObjects ?? []) await t.kube.apply({ ...o, metadata: { ...o.metadata, namespace: 'default' } }, { force: true });
      router = createRouter(t.kube, c.config);
    });
    after(async () => {
      await t?.stop();
    });
    const sample = (headers?: Record<string, string>, count = requests) =>
      sampleSplit({ url: t.cluster.ingressUrl, host: c.host, count, ...(headers ? { headers } : {}) });

    test('refuses an object it does not manage unless adopt is set', {
      skip: 'apiVersion' in c.foreign ? false : (c.foreign as { skip: string }).skip,
    }, async () => {
      const foreign = c.foreign as KubeObject;
      await createAs(t.kube, foreign);
      await assert.rejects(
        router.setWeight(0),
        (e: Error & { code?: string }) => e.code === 'TRAFFIC_NOT_MANAGED' && /not managed by baton/.test(e.message),
      );
      await createRouter(t.kube, { ...c.config, adopt: true }).setWeight(0);
      assert.equal((await router.current()).weight, 0);
    });

    test('refuses an object labelled managed-by=baton whose traffic fields another field manager owns', {
      skip: 'apiVersion' in c.foreign ? false : (c.foreign as { skip: string }).skip,
    }, async () => {
      const foreign = c.foreign as KubeObject;
      const other = new ClientNodeKubeClient({ kubeconfigText: t.cluster.kubeconfig, fieldManager: 'argo-rollouts' });
      await other.apply(
        { ...foreign, metadata: { ...foreign.metadata, namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'baton' } } },
        { force: true },
      );
      await assert.rejects(
        router.setWeight(0),
        (e: Error & { code?: string }) => e.code === 'TRAFFIC_NOT_MANAGED' && /field manager argo-rollouts owns/.test(e.message),
      );
      await createRouter(t.kube, { ...c.config, adopt: true }).setWeight(0);
      await other.delete({ apiVersion: foreign.apiVersion, kind: foreign.kind, name: foreign.metadata.name, namespace: 'default' });
    });

    test('refuses weights outside 0..100', async () => {
      for (const w of [-1, 101, Number.NaN, ...(c.refusedWeights ?? [])])
        await assert.rejects(router.setWeight(w), (e: Error & { code?: string }) => e.code === 'TRAFFIC_WEIGHT');
    });

    for (const weight of c.weights ?? [10, 50, 90]) {
      test(`weight ${weight}: current() reads it back and ${requests} requests split within ${c.tolerance ?? 3} points`, async () => {
        await router.setWeight(weight);
        const now = await router.current();
        assert.equal(now.weight, weight);
        assert.equal(now.precision, router.precision);
        await sleep(settleMs);
        const s = await sample();
        assert.equal(s.failed, 0, JSON.stringify(s.byVersion));
        const measured = shareOf(s, 'v2');
        assert.ok(
          Math.abs(measured - weight) <= (c.tolerance ?? 3),
          `weight ${weight}: measured ${measured.toFixed(2)}% on v2 (${JSON.stringify(s.byVersion)})`,
        );
      });
    }

    test('header route: every request with the header on the new version, none without', { skip: c.skipRoutes ?? false }, async () => {
      await router.setWeight(0);
      await router.setHeaderRoute({ kind: 'header', name: 'x-canary', value: 'yes' });
      assert.deepEqual((await router.current()).route, { kind: 'header', name: 'x-canary', value: 'yes' });
      await sleep(settleMs);
      const withHeader = await sample({ 'x-canary': 'yes' }, 500);
      const without = await sample(undefined, 500);
      const wrongValue = await sample({ 'x-canary': 'no' }, 200);
      assert.deepEqual(withHeader.byVersion, { v2: 500 });
      assert.deepEqual(without.byVersion, { v1: 500 });
      assert.deepEqual(wrongValue.byVersion, { v1: 200 });
    });

    test('cookie route, then no route: back to stable only', { skip: c.skipRoutes ?? false }, async () => {
      await router.setHeaderRoute({ kind: 'cookie', name: 'canary' });
      assert.deepEqual((await router.current()).route, { kind: 'cookie', name: 'canary' });
      await sleep(settleMs);
      assert.deepEqual((await sample({ cookie: 'a=1; canary=always' }, 300)).byVersion, { v2: 300 });
      assert.deepEqual((await sample({ cookie: 'canary=never' }, 300)).byVersion, { v1: 300 });
      await router.setHeaderRoute(null);
      assert.deepEqual(await router.current(), { weight: 0, route: null, precision: router.precision });
      await sleep(settleMs);
      assert.deepEqual((await sample({ 'x-canary': 'yes', cookie: 'canary=always' }, 300)).byVersion, { v1: 300 });
    });

    test('unsupported header routes are refused, not ignored', {
      skip: c.skipRoutes === undefined ? 'this router routes by header' : false,
    }, async () => {
      await assert.rejects(
        router.setHeaderRoute({ kind: 'header', name: 'x-canary', value: 'yes' }),
        (e: Error & { code?: string }) => e.code === 'TRAFFIC_UNSUPPORTED',
      );
    });
  });
}

/** Creates an object as another field manager would (no managed-by label). */
async function createAs(kube: KubeClient, object: KubeObject): Promise<void> {
  await kube.create({ ...object, metadata: { ...object.metadata, namespace: 'default' } });
}
