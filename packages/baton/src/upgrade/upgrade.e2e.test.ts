import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { KubeObject } from '../kube/kube-object.js';
import { readHistory } from '../kube/release-history.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from './step-registry.js';

const probe = { rps: 100, streams: { count: 2, path: '/stream?seconds=3&kbps=32' }, sse: { count: 1, path: '/events' } };

describe('baton upgrade on kubesim (demo-app, real processes, real traffic)', { timeout: 240_000 }, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
  });
  after(async () => {
    await t?.stop();
  });

  const upgrade = async (specPath: string) => {
    const prepared = await prepareFile(specPath, t.kube);
    return runPrepared({
      kube: t.kube,
      prepared,
      stateDir: join(t.dir, 'state'),
      tailMs: 1500,
      engine: { journal: new FileJournal({ dir: join(t.dir, 'state') }), lock: new MemoryLock(), registry: stepRegistry(t.kube) },
    });
  };
  const liveImage = async () =>
    (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!.spec.template
      .spec.containers[0]!.image;

  test('rolling v1 -> v2: succeeded, 0 failed requests, 0 streams cut, v2 serving, release recorded', async () => {
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
    const spec = await writeSpec(t.dir, 'v2', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      probe,
      verify: [{ name: 'ready', http: { path: '/ready' } }],
    });
    const result = await upgrade(spec);
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.ok(result.probe, 'the probe ran');
    assert.ok(result.probe.requests.total > 300, `enough traffic: ${result.probe.requests.total}`);
    assert.equal(result.probe.requests.failed, 0, JSON.stringify(result.probe.failures.kept.slice(0, 5)));
    assert.equal(result.probe.streams?.cut ?? 0, 0);
    // Old pods keep answering their keep-alive clients while they drain (as on a real cluster), so
    // the last buckets may still show v1; once they are gone, only v2 answers.
    const tail = result.probe.buckets.filter((b) => b.requests > 0).slice(-4);
    assert.ok(
      tail.some((b) => (b.byVersion.v2 ?? 0) > 0),
      JSON.stringify(tail),
    );
    await t.kube.watchUntil(
      { apiVersion: 'v1', kind: 'Pod', namespace: 'default', labelSelector: 'app=demo,baton.dev/release!=v2' },
      (pods) => (pods.size === 0 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const svc = (await t.kube.get<KubeObject & { spec: { clusterIP: string } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'demo',
      namespace: 'default',
    }))!;
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`http://${svc.spec.clusterIP}:8080/`);
      await response.arrayBuffer();
      assert.equal(response.headers.get('x-app-version'), 'v2');
    }
    assert.equal(await liveImage(), 'demo/app:v2');
    assert.equal((await readHistory(t.kube, 'default', 'demo')).at(-1)?.version, 'v2');
  });

  test('a new version that crash-loops before it is ready is rolled back; no client ever reaches it', async () => {
    // It crashes during start-up, so readiness never passes: maxUnavailable 0 keeps every v2 pod.
    const spec = await writeSpec(
      t.dir,
      'crash',
      demoManifests({ image: 'demo/app:v1', env: { DEMO_STARTUP_DELAY_MS: '5000', DEMO_CRASH_AFTER_MS: '400' } }),
      { image: { ref: 'demo/app:v3' }, probe },
    );
    const result = await upgrade(spec);
    assert.equal(result.outcome.status, 'rolled-back');
    assert.match(result.outcome.reason ?? '', /CrashLoopBackOff|exceeded|Error/);
    assert.equal(await liveImage(), 'demo/app:v2');
    assert.equal(result.probe?.requests.failed, 0, JSON.stringify(result.probe?.failures.kept.slice(0, 5)));
    assert.ok(
      result.probe!.buckets.every((b) => !('v3' in b.byVersion)),
      'v3 never answered',
    );
  });

  test('an image that does not exist fails fast (ErrImagePull) and rolls back', async () => {
    const spec = await writeSpec(t.dir, 'no-image', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v9-does-not-exist' },
      probe,
    });
    const started = Date.now();
    const result = await upgrade(spec);
    assert.equal(result.outcome.status, 'rolled-back');
    assert.match(result.outcome.reason ?? '', /ErrImagePull|ImagePullBackOff/);
    assert.ok(Date.now() - started < 60_000, 'failed fast, not at the progress deadline');
    assert.equal(await liveImage(), 'demo/app:v2');
    assert.equal(result.probe?.requests.failed, 0);
  });

  test('a failing verification hook rolls back', async () => {
    const spec = await writeSpec(t.dir, 'verify', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v3' },
      probe,
      verify: [{ name: 'must-fail', http: { path: '/no-such-path', expectStatus: 200 } }],
    });
    const result = await upgrade(spec);
    assert.equal(result.outcome.status, 'rolled-back');
    assert.equal(result.outcome.failedStep, 'verify:must-fail');
    assert.equal(await liveImage(), 'demo/app:v2');
  });
});
