import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { applyAndWait, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from './step-registry.js';
import { assertNoListenerDropped, GRACE_SECONDS, STREAM_SECONDS, streamDrain, streamManifests } from './streams-fixtures.js';

/**
 * Long-lived connections through an upgrade, on kubesim (durations and fixtures in
 * streams-fixtures.ts; rainbow and gc by connections in streams-rainbow.e2e.test.ts).
 */
const manifests = streamManifests;
const drain = streamDrain;

assert.ok(STREAM_SECONDS > GRACE_SECONDS + 5, 'the download must outlast the grace period to prove anything');

describe('long-lived connections through every upgrade (kubesim, drain by evidence)', { timeout: 600_000 }, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
  });
  after(async () => {
    await t?.stop();
  });
  const upgrade = async (specPath: string) => {
    const prepared = await prepareFile(specPath, t.kube);
    const result = await runPrepared({
      kube: t.kube,
      prepared,
      stateDir: join(t.dir, 'state'),
      tailMs: 1500,
      engine: { journal: new FileJournal({ dir: join(t.dir, 'state') }), lock: new MemoryLock(), registry: stepRegistry(t.kube) },
    });
    return { result, record: result.record, plan: result.plan };
  };

  test(`rolling: a ${STREAM_SECONDS} s download started before the upgrade completes on a pod whose grace period is ${GRACE_SECONDS} s`, async () => {
    await applyAndWait(t.kube, manifests('demo/app:v1'));
    const spec = await writeSpec(t.dir, 'rolling', manifests('demo/app:v1'), {
      image: { ref: 'demo/app:v2' },
      probe: {
        rps: 50,
        streams: { count: 2, path: `/stream?seconds=${STREAM_SECONDS}&kbps=16` },
        sse: { count: 2, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      },
      drain: drain(STREAM_SECONDS),
    });
    const { result, record, plan } = await upgrade(spec);
    assert.deepEqual(
      plan.warnings.filter((w) => w.includes('drain')),
      [],
      'a sound drain has no warning',
    );
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    const p = result.probe;
    assertNoListenerDropped(p);
    assert.ok((p?.streams?.byVersion.v1?.completed ?? 0) >= 2, `v1 downloads completed: ${JSON.stringify(p?.streams?.byVersion)}`);
    assert.ok((p?.sse?.byVersion.v1?.resumed ?? 0) >= 2, 'SSE clients closed by v1 resumed');
    // Failed requests are upgrade.e2e's subject, not this test's: here the probe shares its event
    // loop with kubesim, and on a loaded machine a multi-second stall times out every request in
    // flight (seen 44-400 at once, the same in main's canary e2e at load 20). Streams are judged above.
    assert.ok((p?.requests.byVersion.v2 ?? 0) > 0, 'v2 served requests');
    const d = record.drains?.[0];
    assert.ok(d, 'the drain is in the report');
    assert.equal(d.deadlineReached, false);
    assert.equal(d.pods.length, 2);
    for (const pod of d.pods) {
      // Reached 0 before the deadline: the v1 downloads above (longer than the grace period) ended
      // on their own on a pod no controller could take away.
      assert.ok(pod.drainedAfterMs !== null, `drained by evidence, not by the deadline: ${JSON.stringify(pod)}`);
    }
    // kube-proxy places the 5 long-lived connections on the 2 pods at random, so one pod holds
    // none of them 1 run in 16 (seen in CI): the metric is judged over both pods, not per pod.
    const seen = d.pods.reduce((sum, pod) => sum + (pod.connectionsAtStart ?? 0), 0);
    assert.ok(seen >= 1, `the metric saw the streams: ${JSON.stringify(d.pods)}`);
  });

  test('canary: promotion holds the stable and canary pods, drains both', async () => {
    const seconds = 8;
    const spec = await writeSpec(t.dir, 'canary', manifests('demo/app:v2'), {
      image: { ref: 'demo/app:v3' },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }] } },
      probe: {
        rps: 50,
        streams: { count: 2, path: `/stream?seconds=${seconds}&kbps=16` },
        sse: { count: 2, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      },
      drain: drain(seconds),
    });
    const { result, record } = await upgrade(spec);
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assertNoListenerDropped(result.probe);
    assert.ok((record.drains ?? []).length >= 1);
  });
  test('blue-green: the old colour is scaled down only when its streams read 0', async () => {
    const seconds = 8;
    const spec = await writeSpec(t.dir, 'bg', manifests('demo/app:v3'), {
      image: { ref: 'demo/app:v1' },
      strategy: { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 0 } },
      probe: {
        rps: 50,
        streams: { count: 2, path: `/stream?seconds=${seconds}&kbps=16` },
        sse: { count: 2, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      },
      drain: drain(seconds),
    });
    const { result, record } = await upgrade(spec);
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assertNoListenerDropped(result.probe);
    assert.equal(record.drains?.[0]?.deadlineReached, false);
  });
});
