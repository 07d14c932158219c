import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { JsonObject } from '../json.js';
import type { KubeObject } from '../kube/kube-object.js';
import { stepTrafficOf, type StepTraffic } from '../report/step-traffic.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { createRouter } from '../traffic/index.js';
import type { RouterKind } from '../traffic/traffic-router.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo' },
  spec: {
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 8080 } } } }] } }],
  },
};
const gateway: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw' },
  spec: { gatewayClassName: 'kubesim', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
};
const rps = 200;
/** ~1000 requests per window at 200 rps: 5 passes, one a second, after the change measurably arrived. */
const analysis = { seconds: 5, maxErrorRate: 0, minRequests: 20 };

/** Per gate step of the run, what it measured (from the journal, as the report reads it). */
async function judged(state: string, runId: string): Promise<Map<string, StepTraffic>> {
  const out = new Map<string, StepTraffic>();
  for (const e of await new FileJournal({ dir: state }).read(runId)) {
    if (e.type !== 'step-finished' || e.result.kind === 'paused') continue;
    const t = stepTrafficOf(e.result.data as JsonObject | undefined);
    if (t) out.set(e.stepId, t);
  }
  return out;
}

const routerOf = (kind: RouterKind) => ({
  router: kind,
  ...(kind === 'nginx-ingress' ? { ingress: 'demo' } : {}),
  ...(kind === 'gateway-api' ? { httpRoute: 'demo', gateway: 'gw' } : {}),
});

async function cluster(userObjects: KubeObject[]) {
  const t = await startTestCluster();
  await applyAndWait(t.kube, [...demoManifests({ image: 'demo/app:v1' }), ...userObjects]);
  const state = join(t.dir, 'state');
  const upgrade = async (name: string, spec: Record<string, unknown>) => {
    const path = await writeSpec(t.dir, name, [...demoManifests({ image: 'demo/app:v1' }), ...userObjects], {
      ...spec,
      probe: { url: t.cluster.ingressUrl, rps, ...(spec.probe as object) },
    });
    const result = await runPrepared({
      kube: t.kube,
      prepared: await prepareFile(path, t.kube),
      stateDir: state,
      tailMs: 500,
      engine: { journal: new FileJournal({ dir: state }), lock: new MemoryLock(), registry: stepRegistry(t.kube) },
    });
    return { result, traffic: await judged(state, result.outcome.runId) };
  };
  return { t, upgrade };
}

// One run per router (its own cluster), three weights as short steps: the share measured in each
// judged window is within 5 points of the weight set, and each gate judged v2's own answers.
for (const kind of ['nginx-ingress', 'gateway-api', 'istio'] as const) {
  describe(`${kind}: measured split`, { timeout: 300_000 }, () => {
    let c: Awaited<ReturnType<typeof cluster>>;
    before(async () => {
      c = await cluster(kind === 'nginx-ingress' ? [ingress] : kind === 'gateway-api' ? [gateway] : []);
      // What an earlier baton release leaves for Istio: its VirtualService, all traffic on stable.
      if (kind === 'istio')
        await createRouter(c.t.kube, {
          kind: 'istio',
          namespace: 'default',
          stableService: 'demo',
          canaryService: 'demo-canary',
          port: 8080,
          virtualService: 'demo',
          canaryPodLabels: { 'baton.dev/track': 'canary' },
        }).setWeight(0);
    });
    after(async () => {
      await c?.t.stop();
    });
    test(`canary 10% / 34% / 67%: each window measures v2 within 5 points of the weight`, async () => {
      const steps = [10, 34, 67].flatMap((w) => [{ setWeight: w }, { analysis }]);
      const { result, traffic } = await c.upgrade(`split-${kind}`, {
        image: { ref: 'demo/app:v2' },
        version: 'v2',
        traffic: routerOf(kind),
        strategy: { kind: 'canary', canary: { steps } },
      });
      assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
      for (const [i, w] of [10, 34, 67].entries()) {
        const r = traffic.get(`canary:${2 * i + 1}:analysis`)!;
        console.log(
          `${kind} weight ${w}%: measured ${r.measuredShare}% v2 of ${r.requests} requests, ${r.answersJudged} v2 answers judged, window +${(((r.settledAt ?? 0) - r.changedAt) / 1000).toFixed(2)} s after the change`,
        );
        assert.equal(r.weightSet, w);
        assert.deepEqual(r.newVersions, ['v2']);
        assert.ok(Math.abs((r.measuredShare ?? -100) - w) <= 5, `${kind} weight ${w}: measured ${r.measuredShare}%`);
        assert.ok(r.requests >= 800, `${r.requests} requests in the window`);
        assert.ok(r.answersJudged >= 20 && r.answersJudged === r.byVersion.v2?.answers);
      }
    });
  });
}

// No mesh: one Service over both Deployments, the share follows replicas (3: 33% / 67%), and the
// probe reaches pods through kube-proxy, where only renewed keep-alive connections move.
describe('replica-ratio: measured split within its approximation', { timeout: 300_000 }, () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  before(async () => {
    c = await cluster([]);
    await c.t.kube.mergePatch({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }, { spec: { replicas: 3 } });
  });
  after(async () => {
    await c?.t.stop();
  });
  test('canary 34% / 67% of 3 replicas: each window measures v2 within 25 points of the replica share (approximate by design), as the per-version counts say', async () => {
    const steps = [34, 67].flatMap((w) => [{ setWeight: w }, { analysis }]);
    const { result, traffic } = await c.upgrade('split-ratio', {
      image: { ref: 'demo/app:v2' },
      version: 'v2',
      traffic: { router: 'replica-ratio' },
      probe: { url: undefined },
      strategy: { kind: 'canary', canary: { steps } },
    });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    for (const [i, share] of [33, 67].entries()) {
      const r = traffic.get(`canary:${2 * i + 1}:analysis`)!;
      console.log(
        `replica-ratio weight ${r.weightSet}% (replicas): measured ${r.measuredShare}% v2 of ${r.requests} requests, ${r.answersJudged} v2 answers judged, window +${(((r.settledAt ?? 0) - r.changedAt) / 1000).toFixed(2)} s after the change`,
      );
      assert.equal(r.weightSet, share);
      // replica-ratio is approximate by design: kube-proxy balances connections, not requests. A
      // 5 s window at 200 req/s sees ~20 connections (clients renew every 100 requests or 10 s),
      // each landing on 1 pod of 3 at random: the share's standard deviation is ~10 points (CI
      // measured 46% and 57% for 1 pod of 3). The exact routers above are held to 5 points; this
      // one to 25 (2.5 sigma), and the figure must be what the per-version counts say.
      assert.ok(Math.abs((r.measuredShare ?? -100) - share) <= 25, `replica-ratio ${share}%: measured ${r.measuredShare}%`);
      const v2 = r.byVersion.v2?.answers ?? 0;
      const total = Object.values(r.byVersion).reduce((sum, v) => sum + (v?.answers ?? 0), 0);
      assert.ok(
        total > 0 && Math.abs((r.measuredShare ?? -100) - (100 * v2) / total) < 0.5,
        `measured ${r.measuredShare}% is v2's ${v2} of ${total} answers: ${JSON.stringify(r.byVersion)}`,
      );
    }
  });
});

describe('new-version verdicts on nginx-ingress and a blue-green switch', { timeout: 400_000 }, () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  before(async () => {
    c = await cluster([ingress]);
  });
  after(async () => {
    await c?.t.stop();
  });

  test('a v2 failing 5% is caught at the 10% step by its own error rate, though the blended rate is under budget', async () => {
    const { result, traffic } = await c.upgrade('bad-10', {
      image: { ref: 'demo/app:v2-bad' },
      version: 'v2-bad',
      traffic: routerOf('nginx-ingress'),
      strategy: {
        kind: 'canary',
        canary: { steps: [{ setWeight: 10 }, { analysis: { seconds: 10, maxErrorRate: 0.02, minRequests: 100 } }, { setWeight: 50 }] },
      },
    });
    assert.equal(result.outcome.status, 'rolled-back', result.outcome.reason);
    const r = traffic.get('canary:1:analysis')!;
    const blended =
      Object.values(r.byVersion).reduce((s, v) => s + v.failed, 0) / Object.values(r.byVersion).reduce((s, v) => s + v.answers, 0);
    console.log(
      `bad v2 at 10%: its own error rate ${((r.errorRate ?? 0) * 100).toFixed(2)}% over ${r.answersJudged} answers (share ${r.measuredShare}%), blended ${(blended * 100).toFixed(2)}% over ${r.requests} requests`,
    );
    assert.match(result.outcome.reason ?? '', /v2: \d+ of \d+ of its requests failed/);
    assert.ok((r.errorRate ?? 0) > 0.02 && blended < 0.02, `own ${r.errorRate}, blended ${blended}`);
  });

  test('A/B: the gate judges the routed answers and catches a bad B that the stable side hides', async () => {
    const { result, traffic } = await c.upgrade('bad-b', {
      image: { ref: 'demo/app:v2-bad' },
      version: 'v2-bad',
      traffic: routerOf('nginx-ingress'),
      probe: { routedShare: 0.3 },
      strategy: {
        kind: 'ab',
        ab: {
          match: { header: 'x-beta', value: 'yes' },
          pause: { seconds: 1 },
          analysis: { seconds: 10, maxErrorRate: 0.02, minRequests: 100 },
        },
      },
    });
    assert.equal(result.outcome.status, 'rolled-back', result.outcome.reason);
    const r = traffic.get('ab:analysis')!;
    const all = result.probe!.requests;
    console.log(
      `A/B bad B: routed answers ${r.measuredShare}% on v2, ${r.failedJudged} of ${r.answersJudged} failed; whole probe ${all.failed} of ${all.total} failed`,
    );
    assert.deepEqual([r.segment, r.route], ['routed', 'x-beta: yes']);
    assert.ok((r.measuredShare ?? 0) >= 95, `${r.measuredShare}% of routed answers from v2`);
    assert.ok(all.failed / all.total < 0.02, 'the blend would have hidden it');
  });

  test('blue-green through the Service: the post-switch gate judges v2 answers only, once old keep-alive connections moved', async () => {
    const path = await writeSpec(c.t.dir, 'bg', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      version: 'v2',
      strategy: { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 10 } },
      probe: { rps, analysis: { seconds: 5, maxErrorRate: 0 } },
    });
    const state = join(c.t.dir, 'state');
    const result = await runPrepared({
      kube: c.t.kube,
      prepared: await prepareFile(path, c.t.kube),
      stateDir: state,
      tailMs: 500,
      engine: { journal: new FileJournal({ dir: state }), lock: new MemoryLock(), registry: stepRegistry(c.t.kube) },
    });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    const r = (await judged(state, result.outcome.runId)).get('analysis:probe')!;
    console.log(
      `blue-green switch: window +${(((r.settledAt ?? 0) - r.changedAt) / 1000).toFixed(2)} s after the switch (${r.settle}); judged ${r.answersJudged} answers: ${JSON.stringify(r.byVersion)}`,
    );
    assert.deepEqual(Object.keys(r.byVersion), ['v2'], 'no v1 answer in the judged window');
    assert.ok(r.settledAt !== null && r.settledAt > r.changedAt);
  });
});
