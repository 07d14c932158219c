import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { loadSpec } from '../spec/load-spec.js';
import { readHistory } from '../kube/release-history.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { KubeObject } from '../kube/kube-object.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared, testPorts } from '../testing/operations-harness.js';
import { rollback } from '../operations/index.js';
import { planRollback } from './rollback-plan.js';
import { stepRegistry } from './step-registry.js';

const probe = { rps: 100, streams: { count: 2, path: '/stream?seconds=3&kbps=32' } };

describe('blue-green on kubesim: adopt, preview, verify, switch, instant rollback', { timeout: 240_000 }, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
  });
  after(async () => {
    await t?.stop();
  });
  const engine = () => ({
    journal: new FileJournal({ dir: join(t.dir, 'state') }),
    lock: new MemoryLock(),
    registry: stepRegistry(t.kube),
  });
  const selector = async () =>
    (await t.kube.get<KubeObject & { spec: { selector: Record<string, string> } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'demo',
      namespace: 'default',
    }))!.spec.selector;

  test('v1 (plain Deployment) -> v2 blue: no failed request, Service switched, old scaled to 0 after the delay', async () => {
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1', preStopExec: true }));
    const spec = await writeSpec(t.dir, 'bg', demoManifests({ image: 'demo/app:v1', preStopExec: true }), {
      image: { ref: 'demo/app:v2' },
      strategy: { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 2 } },
      probe,
      verify: [{ name: 'preview-answers-v2', http: { path: '/', expectStatus: 200, expectJson: { version: 'v2' } } }],
    });
    const prepared = await prepareFile(spec, t.kube);
    const result = await runPrepared({ kube: t.kube, prepared, stateDir: join(t.dir, 'state'), tailMs: 1500, engine: engine() });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.equal(result.probe?.requests.failed, 0, JSON.stringify(result.probe?.failures.kept.slice(0, 5)));
    assert.equal(result.probe?.streams?.cut ?? 0, 0);
    assert.deepEqual(await selector(), { app: 'demo', 'baton.dev/color': 'blue' });
    const old = await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' });
    assert.equal(old?.spec.replicas, 0);
    const history = await readHistory(t.kube, 'default', 'demo');
    assert.deepEqual(
      history.map((h) => h.version),
      ['v1', 'v2'],
    );
    const lastBucket = result.probe!.buckets.filter((b) => b.requests > 0).at(-1)!;
    assert.deepEqual(Object.keys(lastBucket.byVersion), ['v2']);
  });

  test('baton rollback brings v1 back and switches to it with no failed request', async () => {
    const loaded = await loadSpec(join(t.dir, 'bg', 'baton.yaml'));
    const history = await readHistory(t.kube, 'default', 'demo');
    const live: Record<string, DeploymentLike | undefined> = {};
    for (const h of history)
      live[h.deployment] = await t.kube.get<DeploymentLike>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: h.deployment,
        namespace: 'default',
      });
    const plan = planRollback({ app: 'demo', namespace: 'default', history, live, scaleDownDelaySeconds: 1 });
    const result = await rollback({ spec: loaded.spec }, testPorts(t.kube, engine(), join(t.dir, 'state')), { plan, tailMs: 1500 });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.equal(result.probe?.requests.failed, 0, JSON.stringify(result.probe?.failures.kept.slice(0, 5)));
    const lastBucket = result.probe!.buckets.filter((b) => b.requests > 0).at(-1)!;
    assert.deepEqual(Object.keys(lastBucket.byVersion), ['v1']);
    assert.equal((await selector())['pod-template-hash'] !== undefined, true);
    assert.equal((await readHistory(t.kube, 'default', 'demo')).at(-1)?.rollbackOf, 'v2');
  });
});
