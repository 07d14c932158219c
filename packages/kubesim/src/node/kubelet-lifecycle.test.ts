import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from './testdata/cluster-harness.js';
import { appPod, cond, startCluster } from './testdata/cluster-harness.js';

let k: Cluster;
before(async () => {
  k = await startCluster();
});
after(async () => {
  await k?.stop();
});

const readyProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 };

test('pod runs, gets its own IP, becomes Ready; readiness flap removes and restores Ready', { timeout: 30_000 }, async () => {
  await k.create(appPod('web', { readinessProbe: readyProbe }));
  const p = await k.waitFor('web', 'Ready', (p) => cond(p, 'Ready') === 'True');
  assert.equal(p.status?.phase, 'Running');
  assert.match(p.status?.podIP ?? '', /^127\.244\.\d+\.\d+$/);
  assert.equal(p.status?.hostIP, '127.0.0.1');
  for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
    assert.ok(p.status?.conditions?.find((c) => c.type === t)?.lastTransitionTime, `${t} has lastTransitionTime`);
  }
  assert.equal((await k.http(p, '/ready')).status, 200);
  await k.http(p, '/set?ready=0');
  const unready = await k.waitFor('web', 'Ready=False', (p) => cond(p, 'Ready') === 'False');
  assert.equal(unready.status?.containerStatuses?.[0]?.ready, false);
  assert.equal(unready.status?.phase, 'Running');
  await new Promise((r) => setTimeout(r, 2200));
  await k.http(p, '/set?ready=1');
  await k.waitFor('web', 'Ready again', (p) => cond(p, 'Ready') === 'True');
  const ev = await k.client.request<{ items: { reason: string; message: string; count: number; involvedObject: { name: string } }[] }>(
    'GET',
    '/api/v1/namespaces/default/events',
  );
  const unhealthy =
    ev.body?.items.filter((e) => e.involvedObject.name === 'web' && e.reason === 'Unhealthy' && /statuscode: 503/.test(e.message)) ?? [];
  assert.equal(unhealthy.length, 1, 'repeated probe failures aggregate into one Event');
  assert.ok(unhealthy[0]!.count >= 2, `count ${unhealthy[0]?.count}`);
  await k.del('web', 1);
  await k.waitGone('web');
});

test('liveness failure restarts the container (restartCount, lastState)', { timeout: 30_000 }, async () => {
  await k.create(appPod('live', { livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } }));
  const p = await k.waitFor('live', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  await k.waitHttp(p, '/health');
  await k.http(p, '/set?healthy=0');
  const restarted = await k.waitFor(
    'live',
    'restarted',
    (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p.status?.containerStatuses?.[0]?.state.running !== undefined,
  );
  const cs = restarted.status!.containerStatuses![0]!;
  assert.equal(cs.lastState.terminated?.exitCode, 0, 'the test app exits 0 on SIGTERM');
  assert.equal((await k.waitHttp(restarted, '/health')).status, 200, 'a fresh process is healthy again');
  await k.del('live', 1);
  await k.waitGone('live');
});

test('crashing container goes into CrashLoopBackOff with doubling back-off', { timeout: 30_000 }, async () => {
  await k.create(appPod('crash', { command: ['sh', '-c', 'echo boom; exit 2'], terminationMessagePolicy: 'FallbackToLogsOnError' }));
  const seen: string[] = [];
  const p = await k.waitFor('crash', 'restartCount 3', (p) => {
    const w = p.status?.containerStatuses?.[0]?.state.waiting;
    if (w?.reason && !seen.includes(w.reason)) seen.push(w.reason);
    return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3;
  });
  assert.ok(seen.includes('CrashLoopBackOff'), `waiting reasons seen: ${seen.join(',')}`);
  const cs = p.status!.containerStatuses![0]!;
  assert.equal(cs.lastState.terminated?.exitCode, 2);
  assert.equal(cs.lastState.terminated?.reason, 'Error');
  assert.equal(cs.lastState.terminated?.message, 'boom\n', 'FallbackToLogsOnError uses the log tail');
  assert.equal(p.status?.phase, 'Running');
  await k.del('crash', 0);
  await k.waitGone('crash');
});

test('job-style pods end Succeeded / Failed', { timeout: 30_000 }, async () => {
  await k.create(appPod('job-ok', { env: [{ name: 'MODE', value: 'job' }] }, { restartPolicy: 'Never' }));
  await k.create(
    appPod(
      'job-bad',
      {
        env: [
          { name: 'MODE', value: 'job' },
          { name: 'EXIT_CODE', value: '4' },
        ],
      },
      { restartPolicy: 'Never' },
    ),
  );
  const ok = await k.waitFor('job-ok', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
  assert.equal(ok.status?.containerStatuses?.[0]?.state.terminated?.reason, 'Completed');
  const bad = await k.waitFor('job-bad', 'Failed', (p) => p.status?.phase === 'Failed');
  assert.equal(bad.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 4);
  assert.equal(bad.status?.containerStatuses?.[0]?.restartCount, 0);
  await k.create(
    appPod(
      'job-retry',
      {
        command: ['sh', '-c', 'test -f $(MARK) && exit 0; touch $(MARK); exit 1'],
        env: [{ name: 'MARK', value: `${k.dir}/job-retry-mark` }],
      },
      { restartPolicy: 'OnFailure' },
    ),
  );
  const retried = await k.waitFor('job-retry', 'Succeeded after a retry', (p) => p.status?.phase === 'Succeeded');
  assert.equal(retried.status?.containerStatuses?.[0]?.restartCount, 1);
  for (const n of ['job-ok', 'job-bad', 'job-retry']) await k.del(n, 0);
});

test('init containers run in order to completion first', { timeout: 30_000 }, async () => {
  const pod = appPod('init', { readinessProbe: readyProbe });
  pod.spec.initContainers = [
    { name: 'one', image: 'test/app:v1', command: ['sh', '-c', `echo one >> ${k.dir}/init-order; sleep 0.3`] },
    { name: 'two', image: 'test/app:v1', command: ['sh', '-c', `echo two >> ${k.dir}/init-order`] },
  ];
  pod.spec.containers[0]!.env!.push({ name: 'INIT_ORDER', value: `${k.dir}/init-order` });
  await k.create(pod);
  const pending = await k.waitFor(
    'init',
    'Initialized=False seen',
    (p) => cond(p, 'Initialized') === 'False' || cond(p, 'Ready') === 'True',
  );
  assert.ok(pending.status?.phase === 'Pending' || cond(pending, 'Ready') === 'True');
  const p = await k.waitFor('init', 'Ready', (p) => cond(p, 'Ready') === 'True');
  assert.equal(cond(p, 'Initialized'), 'True');
  assert.deepEqual(
    p.status?.initContainerStatuses?.map((s) => s.state.terminated?.reason),
    ['Completed', 'Completed'],
  );
  const { readFile } = await import('node:fs/promises');
  assert.equal(await readFile(`${k.dir}/init-order`, 'utf8'), 'one\ntwo\n');
  await k.del('init', 0);
});

test('unmapped image: ErrImagePull then ImagePullBackOff; missing command: RunContainerError/CrashLoopBackOff', {
  timeout: 30_000,
}, async () => {
  await k.create(appPod('noimage', { image: 'nope/missing:v9' }));
  await k.create(appPod('nocmd', { command: ['definitely-not-a-command'] }));
  const reasons = new Set<string>();
  await k.waitFor('noimage', 'ImagePullBackOff', (p) => {
    const r = p.status?.containerStatuses?.[0]?.state.waiting?.reason;
    if (r) reasons.add(r);
    return r === 'ImagePullBackOff';
  });
  assert.ok(reasons.has('ErrImagePull'), [...reasons].join(','));
  const ev = await k.client.request<{ items: { reason: string; type: string; message: string; involvedObject: { name: string } }[] }>(
    'GET',
    '/api/v1/namespaces/default/events',
  );
  assert.ok(
    ev.body?.items.some(
      (e) => e.involvedObject.name === 'noimage' && e.type === 'Warning' && e.reason === 'Failed' && /nope\/missing:v9/.test(e.message),
    ),
    'a Warning Failed event names the image',
  );
  const node = await k.client.request<{ status: { conditions: { type: string; status: string }[] } }>('GET', '/api/v1/nodes/kubesim-node');
  assert.equal(node.body?.status.conditions.find((c) => c.type === 'Ready')?.status, 'True', 'the node keeps running');
  const nc = await k.waitFor(
    'nocmd',
    'CrashLoopBackOff',
    (p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff',
  );
  assert.match(nc.status?.containerStatuses?.[0]?.lastState.terminated?.message ?? '', /executable file not found in \$PATH/);
  assert.equal(nc.status?.containerStatuses?.[0]?.lastState.terminated?.reason, 'StartError');
  for (const n of ['noimage', 'nocmd']) await k.del(n, 0);
});

test('startup probe gates readiness; a failing startup probe kills and restarts', { timeout: 30_000 }, async () => {
  const marker = `${k.dir}/started-marker`;
  await k.create(
    appPod('startup', {
      startupProbe: { exec: { command: ['test', '-f', marker] }, periodSeconds: 1, failureThreshold: 30 },
      readinessProbe: readyProbe,
    }),
  );
  const p = await k.waitFor('startup', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  await k.waitHttp(p, '/ready');
  await new Promise((r) => setTimeout(r, 1500));
  const before = await k.get('startup');
  assert.equal(before?.status?.containerStatuses?.[0]?.started, false);
  assert.equal(cond(before!, 'Ready'), 'False', 'not ready while the startup probe has not passed');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(marker, '');
  const after = await k.waitFor('startup', 'Ready after startup', (p) => cond(p, 'Ready') === 'True');
  assert.equal(after.status?.containerStatuses?.[0]?.started, true);

  await k.create(appPod('nostart', { startupProbe: { tcpSocket: { port: 9 }, periodSeconds: 1, failureThreshold: 1 } }));
  const killed = await k.waitFor(
    'nostart',
    'restarted by startup probe',
    (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
  );
  assert.equal(cond(killed, 'Ready'), 'False');
  const ev = await k.client.request<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>(
    'GET',
    '/api/v1/namespaces/default/events',
  );
  const mine = ev.body?.items.filter((e) => e.involvedObject.name === 'nostart') ?? [];
  assert.ok(
    mine.some((e) => e.reason === 'Unhealthy' && /Startup probe failed/.test(e.message)),
    JSON.stringify(mine.map((e) => e.reason)),
  );
  assert.ok(mine.some((e) => e.reason === 'Killing'));
  for (const n of ['startup', 'nostart']) await k.del(n, 0);
});

test('postStart runs before the container counts as running; a failing one restarts it', { timeout: 30_000 }, async () => {
  const file = `${k.dir}/poststart`;
  await k.create(appPod('hooked', { lifecycle: { postStart: { exec: { command: ['sh', '-c', `echo "$POD_NAME" > ${file}`] } } } }));
  await k.waitFor('hooked', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const { readFile } = await import('node:fs/promises');
  assert.equal(await readFile(file, 'utf8'), 'hooked\n');
  await k.create(appPod('badhook', { lifecycle: { postStart: { exec: { command: ['false'] } } } }, { terminationGracePeriodSeconds: 1 }));
  await k.waitFor('badhook', 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  const ev = await k.client.request<{ items: { reason: string; involvedObject: { name: string } }[] }>(
    'GET',
    '/api/v1/namespaces/default/events',
  );
  assert.ok(ev.body?.items.some((e) => e.involvedObject.name === 'badhook' && e.reason === 'FailedPostStartHook'));
  for (const n of ['hooked', 'badhook']) await k.del(n, 0);
});

test('a pod bound later through pods/binding is picked up', { timeout: 30_000 }, async () => {
  const pod = appPod('bindme');
  delete pod.spec.nodeName;
  await k.create(pod);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await k.get('bindme'))?.status?.podIP, undefined, 'unbound pods are not ours');
  const r = await k.client.request('POST', '/api/v1/namespaces/default/pods/bindme/binding', {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'bindme' },
    target: { apiVersion: 'v1', kind: 'Node', name: 'kubesim-node' },
  });
  assert.ok(r.status < 300, r.text);
  await k.waitFor('bindme', 'running', (p) => p.status?.phase === 'Running');
  await k.del('bindme', 0);
});

test('set image on a pod restarts the container with the new image; fixing a missing image starts it', { timeout: 30_000 }, async () => {
  await k.create(appPod('setimg', {}, { restartPolicy: 'Never' }));
  const p = await k.waitFor('setimg', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  assert.equal(JSON.parse((await k.waitHttp(p, '/env')).body).APP_VERSION, undefined);
  const patch = [{ op: 'replace', path: '/spec/containers/0/image', value: 'test/app:v2' }];
  const r = await k.client.request('PATCH', '/api/v1/namespaces/default/pods/setimg', patch, 'application/json-patch+json');
  assert.ok(r.status < 300, r.text);
  const q = await k.waitFor(
    'setimg',
    'restarted on v2',
    (p) => p.status?.containerStatuses?.[0]?.restartCount === 1 && p.status?.containerStatuses?.[0]?.state.running !== undefined,
  );
  assert.equal(q.status?.containerStatuses?.[0]?.image, 'docker.io/test/app:v2');
  assert.equal(JSON.parse((await k.waitHttp(q, '/env')).body).APP_VERSION, 'v2');

  await k.create(appPod('typo', { image: 'test/app:v1-typo' }));
  await k.waitFor('typo', 'pull error', (p) => /ImagePull/.test(p.status?.containerStatuses?.[0]?.state.waiting?.reason ?? ''));
  const fix = [{ op: 'replace', path: '/spec/containers/0/image', value: 'test/app:v1' }];
  assert.ok((await k.client.request('PATCH', '/api/v1/namespaces/default/pods/typo', fix, 'application/json-patch+json')).status < 300);
  await k.waitFor('typo', 'running after the fix', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  for (const n of ['setimg', 'typo']) await k.del(n, 0);
});
