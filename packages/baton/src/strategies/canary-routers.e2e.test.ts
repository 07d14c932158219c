import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { abortRun } from '../engine/engine.js';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { kubesimOnly } from '../testing/demo-cluster.js';
import { createRouter } from '../traffic/index.js';
import type { RouterConfig } from '../traffic/traffic-router.js';
import { sampleSplit } from '../traffic/testing/split-sampler.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

const istio: RouterConfig = {
  kind: 'istio',
  namespace: 'default',
  stableService: 'demo',
  canaryService: 'demo-canary',
  port: 8080,
  virtualService: 'demo',
  canaryPodLabels: { 'baton.dev/track': 'canary' },
};

describe('canary and A/B through Istio, and a replica-ratio canary (no mesh)', {
  timeout: 240_000,
  ...kubesimOnly("kubesim's ingress proxy stands in for Istio"),
}, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
    // What an earlier baton release leaves: its VirtualService, all traffic on stable.
    await createRouter(t.kube, istio).setWeight(0);
    // The ingress learns the VirtualService propagationDelayMs later: start once it serves v1.
    for (let i = 0; (await sampleSplit({ url: t.cluster.ingressUrl, host: 'any.test', count: 10 })).byVersion.v1 !== 10; i++) {
      if (i > 50) throw new Error('the ingress never served v1 through the VirtualService');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await t?.stop();
  });
  const state = () => join(t.dir, 'state');
  const engine = () => ({ journal: new FileJournal({ dir: state() }), lock: new MemoryLock(), registry: stepRegistry(t.kube) });
  const deployment = (name: string) =>
    t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' });
  const selector = async () =>
    (await t.kube.get<KubeObject & { spec: { selector: Record<string, string> } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'demo',
      namespace: 'default',
    }))!.spec.selector;

  test('istio A/B by cookie, paused for a human, then `abort`: route gone, canary gone, Service unpinned', async () => {
    const path = await writeSpec(t.dir, 'ab', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      strategy: { kind: 'ab', ab: { match: { cookie: 'beta' } } },
      traffic: { router: 'istio' },
      probe: { url: t.cluster.ingressUrl, rps: 50 },
    });
    const first = await runPrepared({
      kube: t.kube,
      prepared: await prepareFile(path, t.kube),
      stateDir: state(),
      tailMs: 500,
      engine: engine(),
    });
    assert.equal(first.outcome.status, 'paused', first.outcome.reason);
    assert.equal(first.probe!.requests.failed, 0, JSON.stringify(first.probe!.failures.kept.slice(0, 3)));
    assert.deepEqual(await createRouter(t.kube, istio).current(), {
      weight: 0,
      route: { kind: 'cookie', name: 'beta' },
      precision: 'exact',
    });
    assert.deepEqual(
      (await sampleSplit({ url: t.cluster.ingressUrl, host: 'any.test', count: 200, headers: { cookie: 'beta=always' } })).byVersion,
      { v2: 200 },
    );
    assert.deepEqual((await sampleSplit({ url: t.cluster.ingressUrl, host: 'any.test', count: 200 })).byVersion, { v1: 200 });
    const aborted = await abortRun({ ...engine(), runId: first.outcome.runId, reason: 'test: abort' });
    assert.equal(aborted.status, 'rolled-back', aborted.reason);
    assert.deepEqual(await createRouter(t.kube, istio).current(), { weight: 0, route: null, precision: 'exact' });
    assert.equal(await deployment('demo-canary'), undefined);
    assert.deepEqual(await selector(), { app: 'demo' });
  });

  test('istio canary 25% -> 75% with analyses, promoted with no failed request', async () => {
    const path = await writeSpec(t.dir, 'good', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      traffic: { router: 'istio' },
      probe: { url: t.cluster.ingressUrl, rps: 100 },
      strategy: {
        kind: 'canary',
        canary: { steps: [{ setWeight: 25 }, { analysis: { seconds: 3 } }, { setWeight: 75 }, { analysis: { seconds: 3 } }] },
      },
    });
    const result = await runPrepared({
      kube: t.kube,
      prepared: await prepareFile(path, t.kube),
      stateDir: state(),
      tailMs: 1500,
      engine: engine(),
    });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.equal(result.probe!.requests.failed, 0, JSON.stringify(result.probe!.failures.kept.slice(0, 5)));
    assert.deepEqual(Object.keys(result.probe!.buckets.filter((b) => b.requests > 0).at(-1)!.byVersion), ['v2']);
    assert.equal((await deployment('demo'))?.spec.template.spec.containers[0]?.image, 'demo/app:v2');
    assert.deepEqual(await createRouter(t.kube, istio).current(), { weight: 0, route: null, precision: 'exact' });
    assert.deepEqual(await selector(), { app: 'demo', 'baton.dev/release': 'v2' });
  });

  test('replica-ratio canary of v3-bad (4 replicas, through the Service): approximate weights, rolled back by the probe gate', async () => {
    await t.kube.mergePatch({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }, { spec: { replicas: 4 } });
    const path = await writeSpec(t.dir, 'ratio', demoManifests({ image: 'demo/app:v1', replicas: 4 }), {
      // Stable runs v2 (the istio test promoted it), so the bad canary must answer as another
      // version: the gate judges the canary by the version its answers carry.
      image: { ref: 'demo/app:v3-bad' },
      version: 'v3',
      traffic: { router: 'replica-ratio' },
      probe: { rps: 100, budget: { maxFailedRequests: 40 } },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { analysis: { seconds: 30 } }] } },
    });
    const prepared = await prepareFile(path, t.kube);
    const result = await runPrepared({ kube: t.kube, prepared, stateDir: state(), tailMs: 1500, engine: engine() });
    assert.equal(result.outcome.status, 'rolled-back', result.outcome.reason);
    assert.ok(result.probe!.requests.failed > 0 && result.probe!.requests.failed <= 40, `${result.probe!.requests.failed} failed`);
    const entries = await new FileJournal({ dir: state() }).read(result.outcome.runId);
    const weightStep = entries.find((e) => e.type === 'step-finished' && e.stepId === 'canary:0:weight-50');
    const data = weightStep?.type === 'step-finished' && weightStep.result.kind === 'done' ? weightStep.result.data : undefined;
    assert.deepEqual([data?.weight, data?.precision], [50, 'approximate']);
    // demo-canary was left at 0 replicas by the istio promotion: the rollback restores exactly that.
    const canary = await deployment('demo-canary');
    assert.deepEqual([canary?.spec.replicas, canary?.spec.template.spec.containers[0]?.image], [0, 'demo/app:v2']);
    assert.equal((await deployment('demo'))?.spec.replicas, 4);
    assert.deepEqual(await selector(), { app: 'demo', 'baton.dev/release': 'v2' });
  });
});
