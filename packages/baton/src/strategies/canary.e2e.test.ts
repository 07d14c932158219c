import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../cli/main.js';
import { promoteRun } from '../engine/engine.js';
import type { EngineEvent } from '../engine/engine-event.js';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { kubesimOnly } from '../testing/demo-cluster.js';
import { createRouter } from '../traffic/index.js';
import { sampleSplit } from '../traffic/testing/split-sampler.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo' },
  spec: {
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 8080 } } } }] } }],
  },
};
const maxFailedRequests = 40;

describe('canary and A/B on kubesim through the nginx ingress', {
  timeout: 240_000,
  ...kubesimOnly("kubesim's ingress proxy stands in for ingress-nginx"),
}, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, [...demoManifests({ image: 'demo/app:v1' }), ingress]);
  });
  after(async () => {
    await t?.stop();
  });
  const state = () => join(t.dir, 'state');
  const engine = (events: Array<EngineEvent & { seenAt: number }> = []) => ({
    journal: new FileJournal({ dir: state() }),
    lock: new MemoryLock(),
    registry: stepRegistry(t.kube),
    onEvent: (e: EngineEvent) => {
      events.push({ ...e, seenAt: Date.now() });
    },
  });
  const spec = (name: string, image: string, strategy: Record<string, unknown>) =>
    writeSpec(t.dir, name, [...demoManifests({ image: 'demo/app:v1' }), ingress], {
      image: { ref: image },
      strategy,
      traffic: { router: 'nginx-ingress', ingress: 'demo' },
      probe: { url: t.cluster.ingressUrl, rps: 100, budget: { maxFailedRequests } },
    });
  const nginx = () =>
    createRouter(t.kube, {
      kind: 'nginx-ingress',
      namespace: 'default',
      stableService: 'demo',
      canaryService: 'demo-canary',
      port: 8080,
      ingress: 'demo',
    });
  const deployment = (name: string) =>
    t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' });

  test('a canary of demo/app:v2-bad fails the probe analysis and rolls back: all traffic on v1 in one step', async () => {
    const events: Array<EngineEvent & { seenAt: number }> = [];
    const path = await spec('bad', 'demo/app:v2-bad', {
      kind: 'canary',
      canary: { steps: [{ setWeight: 30 }, { analysis: { seconds: 30, maxErrorRate: 0 } }, { setWeight: 60 }] },
    });
    const prepared = await prepareFile(path, t.kube);
    const result = await runPrepared({ kube: t.kube, prepared, stateDir: state(), tailMs: 1500, engine: engine(events) });
    assert.equal(result.outcome.status, 'rolled-back', result.outcome.reason);
    assert.match(result.outcome.reason ?? '', /probe budget failed/);
    const failed = result.probe!.requests.failed;
    assert.ok(failed > 0, 'the bad version was seen by clients');
    assert.ok(failed <= maxFailedRequests, `${failed} failed requests, budget ${maxFailedRequests}`);
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
    assert.equal(await deployment('demo-canary'), undefined);
    assert.equal((await deployment('demo'))?.spec.template.spec.containers[0]?.image, 'demo/app:v1');
    const lastBucket = result.probe!.buckets.filter((b) => b.requests > 0).at(-1)!;
    assert.deepEqual(Object.keys(lastBucket.byVersion), ['v1']);
    // One write puts traffic back: the first set-weight's undo is the first undo that acts.
    const gateFailed = events.find((e) => e.type === 'step-finished' && e.result.kind === 'failed')!;
    const restored = events.find((e) => e.type === 'undo-finished' && e.stepId === 'canary:0:weight-30')!;
    const undone = events.filter((e) => e.type === 'undo-finished').map((e) => (e as { stepId: string }).stepId);
    assert.equal(undone[0], 'canary:0:weight-30');
    console.log(
      `canary rollback: gate failed -> all traffic on stable in ${restored.seenAt - gateFailed.seenAt} ms (plus the proxies' propagation delay); ${failed} of ${result.probe!.requests.total} requests failed`,
    );
  });

  test('A/B: only requests with the header reach v2, paused until promote, then promoted', async () => {
    const path = await spec('ab', 'demo/app:v2', { kind: 'ab', ab: { match: { header: 'x-beta', value: 'yes' } } });
    const prepared = await prepareFile(path, t.kube);
    const first = await runPrepared({ kube: t.kube, prepared, stateDir: state(), tailMs: 500, engine: engine() });
    assert.equal(first.outcome.status, 'paused', first.outcome.reason);
    assert.equal(first.probe!.requests.failed, 0, JSON.stringify([first.probe!.requests.byReason, first.probe!.failures.kept.slice(0, 3)]));
    assert.deepEqual((await nginx().current()).route, { kind: 'header', name: 'x-beta', value: 'yes' });
    const withHeader = await sampleSplit({ url: t.cluster.ingressUrl, host: 'demo.test', count: 300, headers: { 'x-beta': 'yes' } });
    const without = await sampleSplit({ url: t.cluster.ingressUrl, host: 'demo.test', count: 300 });
    assert.deepEqual(withHeader.byVersion, { v2: 300 });
    assert.deepEqual(without.byVersion, { v1: 300 });
    const outcome = await promoteRun({ ...engine(), runId: first.outcome.runId });
    assert.equal(outcome.status, 'succeeded', outcome.reason);
    assert.equal((await deployment('demo'))?.spec.template.spec.containers[0]?.image, 'demo/app:v2');
    assert.equal((await deployment('demo-canary'))?.spec.replicas, 0);
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
    const after = await sampleSplit({ url: t.cluster.ingressUrl, host: 'demo.test', count: 200, headers: { 'x-beta': 'yes' } });
    assert.deepEqual(after.byVersion, { v2: 200 });
  });

  test('a healthy canary v2 -> v3 passes its analyses and is promoted with no failed request', async () => {
    const path = await spec('good', 'demo/app:v3', {
      kind: 'canary',
      canary: {
        steps: [
          { setWeight: 20 },
          { analysis: { seconds: 4, maxErrorRate: 0 } },
          { setWeight: 60 },
          { pause: { seconds: 2 } },
          { analysis: { seconds: 4, maxErrorRate: 0 } },
        ],
      },
    });
    const prepared = await prepareFile(path, t.kube);
    const result = await runPrepared({ kube: t.kube, prepared, stateDir: state(), tailMs: 1500, engine: engine() });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.equal(result.probe!.requests.failed, 0, JSON.stringify(result.probe!.failures.kept.slice(0, 5)));
    const seen = new Set(result.probe!.buckets.flatMap((b) => Object.keys(b.byVersion)));
    assert.ok(seen.has('v2') && seen.has('v3'), `versions seen: ${[...seen].join(', ')}`);
    const lastBucket = result.probe!.buckets.filter((b) => b.requests > 0).at(-1)!;
    assert.deepEqual(Object.keys(lastBucket.byVersion), ['v3']);
    assert.equal((await deployment('demo'))?.spec.template.spec.containers[0]?.image, 'demo/app:v3');
    assert.equal((await deployment('demo-canary'))?.spec.replicas, 0);
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
  });

  test('a canary paused for a human: status shows the split, `baton promote` continues with a probe for the analysis after it', async () => {
    const path = await spec('manual', 'demo/app:v2', {
      kind: 'canary',
      canary: { steps: [{ setWeight: 50 }, { pause: {} }, { analysis: { seconds: 3, maxErrorRate: 0 } }] },
    });
    const prepared = await prepareFile(path, t.kube);
    const first = await runPrepared({ kube: t.kube, prepared, stateDir: state(), tailMs: 500, engine: engine() });
    assert.equal(first.outcome.status, 'paused', first.outcome.reason);
    const kubeconfig = join(t.dir, 'kubeconfig');
    await writeFile(kubeconfig, t.cluster.kubeconfig);
    const cli = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli([...args, '--state-dir', state(), '--kubeconfig', kubeconfig], {
        cwd: t.dir,
        env: {},
        stdout: { write: (x: string) => (out += x) },
        stderr: { write: (x: string) => (err += x) },
        signal: new AbortController().signal,
      });
      return { code, out, err };
    };
    const status = await cli(['status', first.outcome.runId]);
    assert.match(status.out, /paused/);
    assert.match(status.out, /traffic: new 50% \/ stable 50%/);
    const promoted = await cli(['promote', first.outcome.runId]);
    assert.equal(promoted.code, 0, promoted.out + promoted.err);
    assert.match(promoted.err, /probe budget: pass 3\/3/);
    assert.equal((await deployment('demo'))?.spec.template.spec.containers[0]?.image, 'demo/app:v2');
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
    const watched = await cli(['status', first.outcome.runId, '--watch', '--interval', '100']);
    assert.match(watched.out, /succeeded/);
  });
});
