import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import type { EngineOptions } from '../engine/engine.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { loadSpec } from '../spec/load-spec.js';
import { applyAndWait, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { collectGarbage, type GcReport } from './gc.js';
import { stepRegistry } from './step-registry.js';
import { assertNoListenerDropped, GRACE_SECONDS, STREAM_SECONDS, streamDrain, streamManifests } from './streams-fixtures.js';

/**
 * Rainbow keeps every older release running, so the upgrade itself must cut nothing; what takes
 * an old release away is `baton gc`. Here gc has no Prometheus: its only evidence is the app's own
 * connection metric (drain.connections), read from every pod of the old release.
 */
describe('rainbow: streams on the old release survive the upgrade; gc by connections keeps it until they read 0', {
  timeout: 300_000,
}, () => {
  let t: TestCluster;
  const engine = (): EngineOptions => ({
    journal: new FileJournal({ dir: join(t.dir, 'state') }),
    lock: new MemoryLock(),
    registry: stepRegistry(t.kube),
  });
  const spec = (version: string, probe: Record<string, unknown>) =>
    writeSpec(t.dir, version, streamManifests('demo/app:v1'), {
      version,
      image: { ref: `demo/app:${version}` },
      probe,
      drain: streamDrain(STREAM_SECONDS),
      // No prometheusUrl: drain.connections is gc's evidence.
      strategy: { kind: 'rainbow', rainbow: { progressDeadlineSeconds: 60, gc: { minAge: '1s' } } },
    });
  const deploy = async (version: string, probe: Record<string, unknown>, tailMs: number) => {
    const prepared = await prepareFile(await spec(version, probe), t.kube);
    return runPrepared({ kube: t.kube, prepared, stateDir: join(t.dir, 'state'), tailMs, engine: engine() });
  };
  const exists = async (name: string) =>
    (await t.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' })) !== undefined;
  const until = async <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, streamManifests('demo/app:v1'));
  });
  after(async () => {
    await t?.stop();
  });

  test(`v1 -> v2: ${STREAM_SECONDS} s downloads, SSE and WebSockets on v1 (grace ${GRACE_SECONDS} s) are not cut`, async () => {
    const v1 = await deploy('v1', { rps: 20 }, 500);
    assert.equal(v1.outcome.status, 'succeeded', v1.outcome.reason);
    // The tail lets the downloads started on v1 before the switch run to their end.
    const v2 = await deploy(
      'v2',
      {
        rps: 50,
        streams: { count: 2, path: `/stream?seconds=${STREAM_SECONDS}&kbps=16` },
        sse: { count: 2, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      },
      STREAM_SECONDS * 1000,
    );
    assert.equal(v2.outcome.status, 'succeeded', v2.outcome.reason);
    assert.deepEqual(
      v2.plan.warnings.filter((w) => w.includes('drain')),
      [],
      'a sound drain has no warning',
    );
    const p = v2.probe;
    assertNoListenerDropped(p);
    assert.ok(
      (p?.streams?.byVersion.v1?.completed ?? 0) >= 2,
      `v1 downloads longer than the grace period completed: ${JSON.stringify(p?.streams?.byVersion)}`,
    );
    assert.ok((p?.sse?.byVersion.v1?.opened ?? 0) >= 1, `SSE clients were on v1: ${JSON.stringify(p?.sse?.byVersion)}`);
    assert.ok((p?.requests.byVersion.v2 ?? 0) > 0, 'v2 served requests after the switch');
    assert.ok(await exists('demo-v1'), 'the old release keeps running');
    const c = (x: { opened: number; cut: number; messagesLost: number } | null | undefined) =>
      `${x?.opened} opened / ${x?.cut} cut / ${x?.messagesLost} lost`;
    process.stdout.write(
      `# rainbow v1 -> v2: downloads ${JSON.stringify(p?.streams?.byVersion)}; SSE ${c(p?.sse)}; WebSocket ${c(p?.websockets)}; requests ${p?.requests.failed} failed / ${p?.requests.total}\n`,
    );
  });

  test('gc keeps v1 while a listener is connected to it, then deletes it once its pods read 0', async () => {
    const gcSpec = (await loadSpec(join(t.dir, 'v2', 'baton.yaml'))).spec;
    assert.equal(gcSpec.strategy.rainbow.gc?.prometheusUrl, undefined);
    const v1Of = (r: GcReport) => r.decisions.find((d) => d.deployment === 'demo-v1');
    // A listener on a v1 pod, opened directly (the Service selects v2 now): SSE until aborted.
    const { items } = await t.kube.list<KubeObject & { status?: { podIP?: string } }>({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'default',
      labelSelector: 'baton.dev/release=v1',
    });
    const ip = items.find((pod) => pod.status?.podIP && !pod.metadata.deletionTimestamp)?.status?.podIP;
    assert.ok(ip, 'a v1 pod is running');
    const listener = new AbortController();
    const res = await fetch(`http://${ip}:8080/events`, { signal: listener.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const reading = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return;
      } catch {
        /* aborted */
      }
    })();
    let busy: GcReport['decisions'][number] | undefined;
    try {
      busy = await until(
        'gc to see the v1 listener',
        () => collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true }).then(v1Of),
        (d) => d !== undefined && !d.reasons.some((r) => /minimum age|connections unknown/.test(r)),
        30_000,
      );
      assert.equal(busy?.action, 'keep');
      assert.ok((busy?.connections ?? 0) >= 1, JSON.stringify(busy));
      assert.match(busy?.reasons.join('; ') ?? '', /\d+ open connection\(s\)/);
      assert.equal(busy?.activeTasks, null, 'no task query: connections are the only evidence');
      // A real gc now deletes nothing: the decision and the step's own re-check both keep it.
      const kept = await collectGarbage({ kube: t.kube, spec: gcSpec, engine: engine() });
      assert.equal(v1Of(kept)?.action, 'keep');
      assert.ok(await exists('demo-v1'), 'a release holding a connection is not deleted');
    } finally {
      listener.abort();
      await reading;
    }
    await until(
      'v1 to read 0 connections',
      () => collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true }).then(v1Of),
      (d) => d?.action === 'delete',
      30_000,
    );
    const done = await collectGarbage({ kube: t.kube, spec: gcSpec, engine: engine() });
    assert.equal(v1Of(done)?.action, 'delete');
    assert.equal(v1Of(done)?.connections, 0);
    assert.equal(done.run?.status, 'succeeded', done.run?.reason);
    await until(
      'the v1 Deployment to be gone',
      () => exists('demo-v1'),
      (e) => !e,
      30_000,
    );
    assert.ok(await exists('demo-v2'), 'the active release is never collected');
    process.stdout.write(`# gc by connections: with a listener: ${JSON.stringify(busy)}; after: ${JSON.stringify(v1Of(done))}\n`);
  });
});
