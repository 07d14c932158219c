import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';
import { PodWatcher, isReadyPod } from '../testing/pod-watcher.js';

const NS = 'default';
let c: TestCluster;

before(async () => {
  c = await startTestCluster({
    behavior: (pod: V1Pod) => {
      const image = pod.spec?.containers?.[0]?.image ?? '';
      if (image.startsWith('bad')) return { ready: false };
      return { readyDelayMs: 60, terminationDelayMs: 80 };
    },
  });
});
after(async () => {
  await c?.stop();
});

function deployment(name: string, image: string, extra: Partial<NonNullable<V1Deployment['spec']>> = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
      ...extra,
    },
  };
}

const read = (name: string): Promise<V1Deployment> => c.clients.apps.readNamespacedDeployment({ name, namespace: NS });
const replicaSets = async (app: string): Promise<V1ReplicaSet[]> =>
  (await c.clients.apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: `app=${app}` })).items;

async function setImage(name: string, image: string): Promise<void> {
  for (;;) {
    const d = await read(name);
    d.spec!.template.spec!.containers[0]!.image = image;
    try {
      await c.clients.apps.replaceNamespacedDeployment({ name, namespace: NS, body: d });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

async function patchSpec(name: string, mutate: (d: V1Deployment) => void): Promise<void> {
  for (;;) {
    const d = await read(name);
    mutate(d);
    try {
      await c.clients.apps.replaceNamespacedDeployment({ name, namespace: NS, body: d });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

/** What `kubectl rollout status` waits for. */
async function rolledOut(name: string, timeoutMs = 15_000): Promise<V1Deployment> {
  return waitFor(
    `rollout of ${name}`,
    async () => {
      const d = await read(name);
      const s = d.status ?? {};
      const n = d.spec?.replicas ?? 1;
      return (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
        (s.updatedReplicas ?? 0) === n &&
        (s.replicas ?? 0) === n &&
        (s.availableReplicas ?? 0) === n
        ? d
        : undefined;
    },
    timeoutMs,
  );
}

test('a Deployment rolls out: ReplicaSet with hash label, revision annotations, owned pods, status', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({ namespace: NS, body: deployment('web', 'app:v1') });
  const d = await rolledOut('web');
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(d.status?.readyReplicas, 3);
  assert.equal(d.status?.unavailableReplicas ?? 0, 0);
  const progressing = d.status?.conditions?.find((x) => x.type === 'Progressing');
  assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
  assert.equal(d.status?.conditions?.find((x) => x.type === 'Available')?.status, 'True');
  const [rs, ...more] = await replicaSets('web');
  assert.equal(more.length, 0);
  const hash = rs!.metadata?.labels?.['pod-template-hash'];
  assert.ok(hash && rs!.metadata?.name === `web-${hash}`);
  assert.equal(rs!.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
  assert.deepEqual(
    [
      rs!.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      rs!.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'],
      rs!.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'],
    ],
    ['1', '3', '4'],
  );
  const ref = rs!.metadata?.ownerReferences?.[0];
  assert.deepEqual([ref?.kind, ref?.name, ref?.controller, ref?.blockOwnerDeletion], ['Deployment', 'web', true, true]);
  const pods = (await c.clients.core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.equal(p.metadata?.ownerReferences?.[0]?.uid, rs!.metadata?.uid);
    assert.equal(p.metadata?.ownerReferences?.[0]?.blockOwnerDeletion, true);
    assert.equal(p.metadata?.labels?.['pod-template-hash'], hash);
  }
});

test('maxUnavailable 0 / maxSurge 1: an image change never drops below 3 ready pods nor exceeds 4', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('surge', 'app:v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
  });
  await rolledOut('surge');
  const w = new PodWatcher(c.kubeconfig, NS, 'app=surge');
  await w.start();
  // The watch first replays the 3 existing pods one by one; the invariant applies after that.
  await waitFor('initial pods', async () => w.history.length >= 3);
  const from = w.history.length;
  try {
    await setImage('surge', 'app:v2');
    const d = await rolledOut('surge');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    await waitFor(
      'old pods gone',
      async () => (await c.clients.core.listNamespacedPod({ namespace: NS, labelSelector: 'app=surge' })).items.length === 3,
    );
  } finally {
    w.stop();
  }
  const after = w.history.slice(from);
  assert.ok(after.length > 10, 'the watch saw the rollout');
  let sawV2Ready = false;
  for (const h of after) {
    const all = [...h.pods.values()];
    const ready = all.filter(isReadyPod).length;
    const live = all.filter((p) => !p.metadata?.deletionTimestamp).length;
    assert.ok(ready >= 3, `only ${ready} ready pods after ${h.type} ${h.pod.metadata?.name}`);
    assert.ok(live <= 4, `${live} live pods (surge 1) after ${h.type} ${h.pod.metadata?.name}`);
    if (all.some((p) => isReadyPod(p) && p.spec?.containers?.[0]?.image === 'app:v2')) sawV2Ready = true;
  }
  assert.ok(sawV2Ready);
  const rss = await replicaSets('surge');
  assert.deepEqual(rss.map((r) => r.spec?.replicas).sort(), [0, 3]);
});

test('Recreate: every old pod is gone before the first new pod exists', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('recreate', 'app:v1', { strategy: { type: 'Recreate' } }),
  });
  await rolledOut('recreate');
  const w = new PodWatcher(c.kubeconfig, NS, 'app=recreate');
  await w.start();
  try {
    await setImage('recreate', 'app:v2');
    await rolledOut('recreate');
  } finally {
    w.stop();
  }
  const firstNew = w.history.find((h) => h.type === 'ADDED' && h.pod.spec?.containers?.[0]?.image === 'app:v2');
  assert.ok(firstNew, 'a v2 pod was created');
  const oldAlive = [...firstNew.pods.values()].filter((p) => p.spec?.containers?.[0]?.image === 'app:v1');
  assert.deepEqual(
    oldAlive.map((p) => p.metadata?.name),
    [],
    'no v1 pod (not even terminating) when v2 starts',
  );
});

test('rollback re-applies an old template: the old ReplicaSet is reused and its revision bumps', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('undo', 'app:v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } }),
  });
  await rolledOut('undo');
  const [v1rs] = await replicaSets('undo');
  await setImage('undo', 'app:v2');
  await rolledOut('undo');
  await setImage('undo', 'app:v1'); // what `kubectl rollout undo` does
  const d = await rolledOut('undo');
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  const rss = await replicaSets('undo');
  assert.equal(rss.length, 2, 'no third ReplicaSet');
  const reused = rss.find((r) => r.metadata?.name === v1rs!.metadata?.name)!;
  assert.equal(reused.spec?.replicas, 3);
  assert.equal(reused.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(reused.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
});

test('progressDeadlineSeconds: a rollout that cannot become ready ends ProgressDeadlineExceeded', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({ namespace: NS, body: deployment('stuck', 'app:v1', { progressDeadlineSeconds: 2 }) });
  await rolledOut('stuck');
  await setImage('stuck', 'bad:v2');
  const d = await waitFor(
    'ProgressDeadlineExceeded',
    async () => {
      const x = await read('stuck');
      const p = x.status?.conditions?.find((k) => k.type === 'Progressing');
      return p?.reason === 'ProgressDeadlineExceeded' ? x : undefined;
    },
    10_000,
  );
  const p = d.status!.conditions!.find((k) => k.type === 'Progressing')!;
  assert.equal(p.status, 'False');
  assert.match(p.message ?? '', /has timed out progressing/);
  // The old pods keep serving: maxUnavailable 25% of 3 rounds down to 0.
  assert.equal(d.status?.availableReplicas, 3);
});

test('paused: template changes wait; resume rolls them out', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({ namespace: NS, body: deployment('paused', 'app:v1') });
  await rolledOut('paused');
  await patchSpec('paused', (d) => {
    d.spec!.paused = true;
  });
  await setImage('paused', 'app:v2');
  const d = await waitFor('paused condition', async () => {
    const x = await read('paused');
    return x.status?.conditions?.find((k) => k.type === 'Progressing')?.reason === 'DeploymentPaused' &&
      (x.status?.observedGeneration ?? 0) >= (x.metadata?.generation ?? 0)
      ? x
      : undefined;
  });
  assert.equal(d.status?.conditions?.find((k) => k.type === 'Progressing')?.status, 'Unknown');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await replicaSets('paused')).length, 1, 'no new ReplicaSet while paused');
  await patchSpec('paused', (x) => {
    x.spec!.paused = false;
  });
  const done = await rolledOut('paused');
  assert.equal(done.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
});

test('proportional scaling mid-rollout: 10 -> 15 adds 3 to the old and 2 to the new ReplicaSet', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('prop', 'app:v1', {
      replicas: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
    }),
  });
  await rolledOut('prop');
  await setImage('prop', 'bad:v2');
  const sizes = async (): Promise<string> =>
    (await replicaSets('prop'))
      .map((r) => `${r.spec?.template?.spec?.containers?.[0]?.image}=${r.spec?.replicas}`)
      .sort()
      .join(',');
  await waitFor('stuck at 8 old + 5 new', async () => (await sizes()) === 'app:v1=8,bad:v2=5');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await sizes(), 'app:v1=8,bad:v2=5', 'rollout holds: new pods never become available');
  await patchSpec('prop', (d) => {
    d.spec!.replicas = 15;
  });
  await waitFor('proportional scale', async () => (await sizes()) === 'app:v1=11,bad:v2=7');
  const rss = await replicaSets('prop');
  for (const r of rss) {
    assert.equal(r.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '15');
    assert.equal(r.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '18');
  }
});

test('revisionHistoryLimit keeps only that many old ReplicaSets', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('hist', 'app:v1', { revisionHistoryLimit: 1, replicas: 1 }),
  });
  await rolledOut('hist');
  for (const v of ['v2', 'v3', 'v4']) {
    await setImage('hist', `app:${v}`);
    await rolledOut('hist');
  }
  const rss = await waitFor('cleanup', async () => {
    const x = await replicaSets('hist');
    return x.length === 2 ? x : undefined;
  });
  assert.deepEqual(rss.map((r) => r.spec?.template?.spec?.containers?.[0]?.image).sort(), ['app:v3', 'app:v4']);
});

test('minReadySeconds delays availability', { timeout: 30_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: NS,
    body: deployment('minready', 'app:v1', { minReadySeconds: 2, replicas: 2 }),
  });
  const ready = await waitFor('ready but not available', async () => {
    const x = await read('minready');
    return x.status?.readyReplicas === 2 ? x : undefined;
  });
  assert.equal(ready.status?.availableReplicas ?? 0, 0);
  const t0 = Date.now();
  await rolledOut('minready');
  assert.ok(Date.now() - t0 >= 500, 'availability waited for minReadySeconds');
});
