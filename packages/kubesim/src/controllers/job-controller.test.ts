import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';

const NS = 'default';
let c: TestCluster;
before(async () => {
  // Image "exit-N" exits with code N after 100 ms; anything else runs until deleted.
  c = await startTestCluster({
    behavior: (p: V1Pod) => {
      const m = /^exit-(\d+)$/.exec(p.spec?.containers?.[0]?.image ?? '');
      return m ? { exit: { afterMs: 100, code: Number(m[1]) } } : { terminationDelayMs: 100 };
    },
  });
});
after(async () => {
  await c?.stop();
});

function job(name: string, image: string, spec: Partial<NonNullable<V1Job['spec']>> = {}, restartPolicy = 'Never'): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'main', image }] } }, ...spec },
  };
}
const readJob = (name: string): Promise<V1Job> => c.clients.batch.readNamespacedJob({ name, namespace: NS });
const condition = (j: V1Job, type: string): { status: string; reason?: string } | undefined =>
  j.status?.conditions?.find((x) => x.type === type);
async function finished(name: string, timeoutMs = 15_000): Promise<V1Job> {
  return waitFor(
    `job ${name} finished`,
    async () => {
      const j = await readJob(name);
      return condition(j, 'Complete')?.status === 'True' || condition(j, 'Failed')?.status === 'True' ? j : undefined;
    },
    timeoutMs,
  );
}
const jobPods = async (name: string): Promise<V1Pod[]> =>
  (await c.clients.core.listNamespacedPod({ namespace: NS })).items.filter((p) => p.metadata?.ownerReferences?.[0]?.name === name);

test('completions 3 / parallelism 2: Complete after SuccessCriteriaMet, with times and counts', { timeout: 30_000 }, async () => {
  const w: number[] = [];
  await c.clients.batch.createNamespacedJob({ namespace: NS, body: job('ok', 'exit-0', { completions: 3, parallelism: 2 }) });
  const seen = setInterval(() => {
    void readJob('ok').then(
      (j) => w.push(j.status?.active ?? 0),
      () => undefined,
    );
  }, 20);
  const j = await finished('ok').finally(() => clearInterval(seen));
  assert.ok(Math.max(...w) <= 2, 'never more than parallelism active');
  assert.equal(j.status?.succeeded, 3);
  assert.equal(j.status?.failed ?? 0, 0);
  assert.equal(j.status?.active ?? 0, 0);
  assert.ok(j.status?.startTime && j.status.completionTime);
  assert.deepEqual(
    j.status?.conditions?.map((x) => [x.type, x.status, x.reason]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ],
  );
  const pods = await jobPods('ok');
  assert.equal(pods.length, 3);
  assert.ok(
    pods.every(
      (p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] === 'ok' && p.metadata.ownerReferences?.[0]?.controller === true,
    ),
  );
  const events = (await c.clients.core.listNamespacedEvent({ namespace: NS })).items.filter((e) => e.involvedObject?.name === 'ok');
  assert.ok(events.some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
});

test('restartPolicy Never + backoffLimit 1: two failed pods, then Failed BackoffLimitExceeded', { timeout: 30_000 }, async () => {
  await c.clients.batch.createNamespacedJob({ namespace: NS, body: job('bad', 'exit-3', { backoffLimit: 1 }) });
  const j = await finished('bad');
  assert.equal(j.status?.failed, 2);
  assert.equal(j.status?.succeeded ?? 0, 0);
  assert.deepEqual(
    j.status?.conditions?.map((x) => [x.type, x.reason]),
    [
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ],
  );
  assert.equal(condition(j, 'Failed')?.status, 'True');
  assert.equal(j.status?.completionTime, undefined);
  const pods = await jobPods('bad');
  assert.deepEqual(
    pods.map((p) => p.status?.phase),
    ['Failed', 'Failed'],
  );
  const events = (await c.clients.core.listNamespacedEvent({ namespace: NS })).items.filter((e) => e.involvedObject?.name === 'bad');
  assert.ok(events.some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning'));
});

test('restartPolicy OnFailure: container restarts count against backoffLimit', { timeout: 30_000 }, async () => {
  await c.clients.batch.createNamespacedJob({ namespace: NS, body: job('flaky', 'exit-1', { backoffLimit: 2 }, 'OnFailure') });
  const j = await finished('flaky');
  assert.equal(condition(j, 'Failed')?.reason, 'BackoffLimitExceeded');
  // One pod restarted in place; no replacement pod was ever created.
  const events = (await c.clients.core.listNamespacedEvent({ namespace: NS })).items.filter((e) => e.involvedObject?.name === 'flaky');
  assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 1);
});

test('activeDeadlineSeconds: running pods are killed and the Job fails with DeadlineExceeded', { timeout: 30_000 }, async () => {
  await c.clients.batch.createNamespacedJob({
    namespace: NS,
    body: job('slow', 'sleep', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }),
  });
  const j = await finished('slow');
  assert.equal(condition(j, 'Failed')?.reason, 'DeadlineExceeded');
  assert.equal(condition(j, 'FailureTarget')?.reason, 'DeadlineExceeded');
  assert.equal(j.status?.active ?? 0, 0);
  await waitFor('pods removed', async () => (await jobPods('slow')).length === 0);
});

test('suspend deletes pods without counting failures; resume restarts them; ttlSecondsAfterFinished deletes the Job', {
  timeout: 30_000,
}, async () => {
  await c.clients.batch.createNamespacedJob({
    namespace: NS,
    body: job('pausable', 'sleep', { parallelism: 2, completions: 2, ttlSecondsAfterFinished: 1 }),
  });
  await waitFor('2 active', async () => (await readJob('pausable')).status?.active === 2);
  const set = async (suspend: boolean): Promise<void> => {
    for (;;) {
      const j = await readJob('pausable');
      j.spec!.suspend = suspend;
      try {
        await c.clients.batch.replaceNamespacedJob({ name: 'pausable', namespace: NS, body: j });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
    }
  };
  await set(true);
  const s = await waitFor('suspended, no pods', async () => {
    const j = await readJob('pausable');
    return condition(j, 'Suspended')?.status === 'True' && (await jobPods('pausable')).length === 0 && !j.status?.active ? j : undefined;
  });
  assert.equal(condition(s, 'Suspended')?.reason, 'JobSuspended');
  assert.equal(s.status?.failed ?? 0, 0, 'pods removed by suspension are not failures');
  await set(false);
  const r = await waitFor('resumed', async () => {
    const j = await readJob('pausable');
    return condition(j, 'Suspended')?.status === 'False' && j.status?.active === 2 ? j : undefined;
  });
  assert.equal(condition(r, 'Suspended')?.reason, 'JobResumed');
  // ttlSecondsAfterFinished: a finished Job goes away after its TTL.
  await c.clients.batch.createNamespacedJob({ namespace: NS, body: job('short', 'exit-0', { ttlSecondsAfterFinished: 1 }) });
  await finished('short');
  await waitFor(
    'TTL deleted the finished Job',
    async () => {
      try {
        await readJob('short');
        return undefined;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    },
    10_000,
  );
});
