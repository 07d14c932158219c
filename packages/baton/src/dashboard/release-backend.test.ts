import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '@baton/kubesim';
import { ensureDashboardToken, readDashboardToken } from '../controller/dashboard-token.js';
import { releaseCrd } from '../controller/release-crd.js';
import { appLabel, releaseApiVersion, releaseKind, type Release, type ReleaseStatus } from '../controller/release.js';
import { startRun } from '../engine/engine.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { createRecordingKind, testStep } from '../engine/testing/recording-step-kind.js';
import { ConfigMapJournal } from '../kube/configmap-journal.js';
import type { KubeClient } from '../kube/kube-client.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import { microTime } from '../kube/kube-time.js';
import type { DashboardChange } from './dashboard-backend.js';
import { ReleaseBackend } from './release-backend.js';

/**
 * The controller's dashboard backend over kubesim's API alone (no pods, no controller): runs
 * journaled in ConfigMaps as the reconciler journals them, Releases pointing at them, and the
 * status requests the actions send.
 */
describe('ReleaseBackend: Releases and ConfigMap journals in, status.control requests out', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let backend: ReleaseBackend;
  const rec = createRecordingKind();
  const release = (name: string) => kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name, namespace: 'default' });

  async function releaseWithRun(name: string, status: ReleaseStatus): Promise<void> {
    await kube.create({
      apiVersion: releaseApiVersion,
      kind: 'Release',
      metadata: { name, namespace: 'default', labels: { [appLabel]: 'web' } },
      spec: {
        upgrade: { apiVersion: 'baton.dev/v1alpha1', kind: 'Upgrade', app: 'web', image: { ref: 'web:v2' }, manifests: ['k8s/'] },
        inputs: [],
      },
    });
    await kube.customResources().mergePatchStatus(releaseKind, 'default', name, { status });
  }

  before(async () => {
    cluster = await startCluster({ images: {}, propagationDelayMs: 0 });
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
    await kube.apply(releaseCrd(), { force: true });
    // A controller leads (the one serving this page): requests are refused when none does.
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'baton-system' } });
    await kube.apply({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'baton-controller', namespace: 'baton-system' },
      spec: { holderIdentity: 'controller-0', leaseDurationSeconds: 3600, renewTime: microTime(Date.now()) },
    });
    const engine = { journal: new ConfigMapJournal(kube, 'default'), lock: new MemoryLock(), registry: { test: rec.kind } };
    rec.script.wait = { run: 'paused' };
    await startRun({ ...engine, runId: 'web-done', app: 'web', namespace: 'default', steps: [testStep('only')] });
    await startRun({
      ...engine,
      runId: 'web-paused',
      app: 'web',
      namespace: 'default',
      steps: [testStep('first'), testStep('wait'), testStep('after')],
    });
    // A run journaled by the CLI (`--journal configmap`), which no Release drives.
    await startRun({ ...engine, runId: 'cli-paused', app: 'web', namespace: 'default', steps: [testStep('wait')] });
    await releaseWithRun('web-1', { phase: 'Succeeded', runId: 'web-done' });
    await releaseWithRun('web-2', { phase: 'Paused', runId: 'web-paused' });
    await releaseWithRun('web-3', { phase: 'Waiting', message: 'waits for Release default/web-2' });
    backend = new ReleaseBackend({ kube });
  });
  after(async () => {
    await backend?.close();
    await cluster?.stop();
  });

  test('apps and runs come from Releases and the ConfigMap journal; rollback says what to do instead', async () => {
    const [web, ...rest] = await backend.listApps();
    assert.equal(rest.length, 0);
    assert.equal(web?.app, 'web');
    assert.deepEqual(web.runs.map((r) => [r.runId, r.status]).sort(), [
      ['cli-paused', 'paused'],
      ['web-done', 'succeeded'],
      ['web-paused', 'paused'],
    ]);
    assert.deepEqual(web.unstarted, [{ name: 'web-3', phase: 'Waiting', message: 'waits for Release default/web-2' }]);
    assert.equal(web.rollback.allowed, false);
    assert.match(web.rollback.consequence, /create a Release of the earlier version/);
    const run = await backend.getRun('web-paused');
    assert.equal(run?.status, 'paused');
    assert.equal(run.actions.find((a) => a.kind === 'promote')?.allowed, true);
    assert.equal(await backend.getRun('no-such-run'), undefined);
  });

  test("a finished run refuses with the local dashboard's codes and words; nothing is patched", async () => {
    await assert.rejects(backend.promote('web-done'), {
      code: 'RUN_FINISHED',
      message: /cannot promote run web-done: the run already ended succeeded/,
    });
    await assert.rejects(backend.abort('web-done', 'x'), { code: 'RUN_FINISHED' });
    await assert.rejects(backend.retry('web-paused'), { code: 'ACTION_NOT_POSSIBLE', message: /paused: promote or abort it/ });
    await assert.rejects(backend.promote('nope'), { code: 'RUN_NOT_FOUND' });
    await assert.rejects(backend.promote('cli-paused'), { code: 'ACTION_NOT_POSSIBLE', message: /not started by a Release/ });
    await assert.rejects(backend.rollback({ namespace: 'default', app: 'web' }), { code: 'ROLLBACK_NOT_POSSIBLE' });
    assert.equal((await release('web-1'))?.status?.control, undefined);
  });

  test("promote is the CLI's status patch, asked once; a journal append is pushed by the watch", async () => {
    const changes: DashboardChange[] = [];
    const seen = new Promise<void>((resolve) =>
      backend.watch((c) => {
        changes.push(c);
        if (c.kind === 'run' && c.runId === 'web-paused') resolve();
      }),
    );
    const accepted = await backend.promote('web-paused');
    assert.match(accepted.message, /asked the controller to promote Release default\/web-2/);
    assert.equal((await release('web-2'))?.status?.control?.promote, true);
    await assert.rejects(backend.promote('web-paused'), { code: 'RUN_BUSY' });
    assert.match((await backend.getRun('web-paused'))?.activity?.message ?? '', /promote asked for .*waiting for the controller/);
    await seen;
    // A journal write by the controller reaches listeners through the ConfigMap watch (no polling).
    changes.length = 0;
    const appended = new Promise<void>((resolve) =>
      backend.watch((c) => {
        if (c.kind === 'run' && c.runId === 'cli-paused') resolve();
      }),
    );
    await new ConfigMapJournal(kube, 'default').append({
      type: 'abort-requested',
      runId: 'cli-paused',
      at: Date.now(),
      reason: 'e2e: a journal write',
    });
    await appended;
  });

  test('the dashboard token: created once in a Secret, the same for every replica', async () => {
    assert.equal(await readDashboardToken(kube, 'default'), undefined, 'reading never creates it');
    const [a, b] = await Promise.all([ensureDashboardToken(kube, 'default'), ensureDashboardToken(kube, 'default')]);
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(await ensureDashboardToken(kube, 'default'), a);
    assert.equal(await readDashboardToken(kube, 'default'), a);
    await kube.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'baton-dashboard', namespace: 'default' }, stringData: { token: 'short' } },
      { force: true },
    );
    await assert.rejects(ensureDashboardToken(kube, 'default'), { code: 'DASHBOARD_TOKEN_INVALID' });
  });
});
