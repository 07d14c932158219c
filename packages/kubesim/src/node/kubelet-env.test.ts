import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Cluster } from './testdata/cluster-harness.js';
import { appPod, startCluster } from './testdata/cluster-harness.js';
import { startKubelet } from './kubelet.js';
import { TEST_APP, TEST_IMAGE, startApi } from './testdata/cluster-harness.js';
import { createKubeClient } from './kube-client.js';
import type { Pod } from './pod-types.js';
import { readFileSync } from 'node:fs';

// A killed process may linger as a zombie until it is reaped; zombies count as dead.
function alive(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

let k: Cluster;
before(async () => {
  k = await startCluster();
});
after(async () => {
  await k?.stop();
});

async function post(path: string, body: object): Promise<void> {
  const r = await k.client.request('POST', path, body);
  assert.ok(r.status < 300, `POST ${path}: ${r.status} ${r.text}`);
}

test('env, envFrom, downward API, ConfigMap/Secret refs and $(VAR) expansion reach the process', { timeout: 30_000 }, async () => {
  await post('/api/v1/namespaces/default/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg' },
    data: { MODE_A: 'alpha', level: 'debug' },
  });
  await post('/api/v1/namespaces/default/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sec' },
    data: { password: Buffer.from('s3cret').toString('base64') },
  });
  const pod = appPod('envpod', {
    envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'SEC_', secretRef: { name: 'sec' } }],
    env: [
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
      { name: 'MAYBE', valueFrom: { secretKeyRef: { name: 'absent', key: 'x', optional: true } } },
      { name: 'ME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
      { name: 'MYIP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'COMBINED', value: '$(ME)@$(MYIP)/$(LEVEL) $$(ME) $(UNDEFINED)' },
    ],
  });
  pod.metadata.annotations = { note: 'hello' };
  await k.create(pod);
  const p = await k.waitFor('envpod', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const env = JSON.parse((await k.waitHttp(p, '/env')).body) as Record<string, string>;
  const ip = p.status?.podIP ?? '';
  assert.equal(env.POD_IP, ip);
  assert.equal(env.KUBESIM_POD_IP, ip);
  assert.equal(env.POD_NAME, 'envpod');
  assert.equal(env.POD_NAMESPACE, 'default');
  assert.equal(env.MODE_A, 'alpha');
  assert.equal(env.SEC_password, 's3cret');
  assert.equal(env.LEVEL, 'debug');
  assert.equal(env.PW, 's3cret');
  assert.equal('MAYBE' in env, false);
  assert.equal(env.ME, 'envpod');
  assert.equal(env.NS, 'default');
  assert.equal(env.APP, 'test');
  assert.equal(env.NOTE, 'hello');
  assert.equal(env.MYIP, ip);
  assert.equal(env.NODE, 'kubesim-node');
  assert.equal(env.COMBINED, `envpod@${ip}/debug $(ME) $(UNDEFINED)`);
  await k.del('envpod', 0);
});

test('a missing ConfigMap holds the container in CreateContainerConfigError until it appears', { timeout: 30_000 }, async () => {
  await k.create(appPod('waitcm', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'x' } } }] }));
  const w = await k.waitFor(
    'waitcm',
    'config error',
    (p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError',
  );
  assert.match(w.status?.containerStatuses?.[0]?.state.waiting?.message ?? '', /configmap "later" not found/);
  await post('/api/v1/namespaces/default/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'later' },
    data: { x: '1' },
  });
  await k.waitFor('waitcm', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  await k.del('waitcm', 0);
});

test('CrashLoopBackOff: immediate first restart, then back-off doubling from the base', { timeout: 30_000 }, async () => {
  const file = `${k.dir}/crash-starts`;
  await k.create(appPod('loop', { command: ['sh', '-c', `date +%s%3N >> ${file}; exit 1`] }));
  const read = async (): Promise<number[]> => (await readFile(file, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map(Number);
  const end = Date.now() + 20_000;
  while ((await read()).length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await k.del('loop', 0);
  const starts = await read();
  assert.ok(starts.length >= 5, `5 starts recorded, got ${starts.length}`);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
  // harness base is 300ms, cap 2000ms: gaps ~0, 300, 600, 1200 (+ process start time)
  assert.ok(gaps[0]! < 300, `first restart is immediate: ${gaps.join(',')}`);
  assert.ok(gaps[1]! >= 290, `second waits the base: ${gaps.join(',')}`);
  assert.ok(gaps[2]! >= 590, `third waits 2x: ${gaps.join(',')}`);
  assert.ok(gaps[3]! >= 1190, `fourth waits 4x: ${gaps.join(',')}`);
});

test('the kubelet joins a second, separate API server through its kubeconfig', { timeout: 30_000 }, async () => {
  const api2 = await startApi();
  const kubelet2 = await startKubelet({
    kubeconfig: api2.kubeconfig(),
    nodeName: 'second-node',
    podCidrPrefix: '127.245',
    images: { [TEST_IMAGE]: { entrypoint: [process.execPath, TEST_APP] } },
  });
  try {
    const c2 = createKubeClient(api2.kubeconfig());
    const node = await c2.request<{
      status: { conditions: { type: string; status: string }[]; addresses: { type: string; address: string }[] };
    }>('GET', '/api/v1/nodes/second-node');
    assert.equal(node.status, 200);
    assert.equal(node.body?.status.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual(node.body?.status.addresses[0], { type: 'InternalIP', address: '127.0.0.1' });
    const lease = await c2.request<{ spec: { holderIdentity: string; renewTime: string } }>(
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/second-node',
    );
    assert.equal(lease.status, 200, lease.text);
    assert.equal(lease.body?.spec.holderIdentity, 'second-node');
    const pod = appPod('on-second', {}, { nodeName: 'second-node' });
    assert.ok((await c2.request('POST', '/api/v1/namespaces/default/pods', pod)).status < 300);
    let got: Pod | undefined;
    for (let i = 0; i < 200; i++) {
      got = (await c2.request<Pod>('GET', '/api/v1/namespaces/default/pods/on-second')).body;
      if (got?.status?.phase === 'Running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(got?.status?.phase, 'Running');
    assert.match(got?.status?.podIP ?? '', /^127\.245\./);
    // the first cluster knows nothing of it
    assert.equal(await k.get('on-second'), undefined);

    // stop() leaves no process behind, children of containers included
    const pidFile = `${k.dir}/second-pids`;
    const tree = appPod('tree', { command: ['sh', '-c', `sleep 1000 & echo $$ $! > ${pidFile}; wait`] }, { nodeName: 'second-node' });
    assert.ok((await c2.request('POST', '/api/v1/namespaces/default/pods', tree)).status < 300);
    let pids: number[] = [];
    for (let i = 0; i < 200 && pids.length < 2; i++) {
      pids = (await readFile(pidFile, 'utf8').catch(() => '')).trim().split(' ').filter(Boolean).map(Number);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(pids.length, 2);
    c2.close();
    await kubelet2.stop();
    await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} must be gone after kubelet.stop()`);
  } finally {
    await kubelet2.stop();
    await api2.stop();
  }
});

test('service links: NAME_SERVICE_HOST/PORT for Services that exist when the container starts', { timeout: 30_000 }, async () => {
  await post('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'my-db' },
    spec: { selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
  });
  const svc = await k.client.request<{ spec: { clusterIP: string } }>('GET', '/api/v1/namespaces/default/services/my-db');
  const ip = svc.body!.spec.clusterIP;
  await k.create(appPod('links', { env: [{ name: 'DSN', value: 'postgres://$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)/x' }] }));
  const nolinks = appPod('nolinks');
  nolinks.spec.enableServiceLinks = false;
  await k.create(nolinks);
  const p = await k.waitFor('links', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const env = JSON.parse((await k.waitHttp(p, '/env')).body) as Record<string, string>;
  assert.equal(env.MY_DB_SERVICE_HOST, ip);
  assert.equal(env.MY_DB_SERVICE_PORT_PG, '5432');
  assert.equal(env.MY_DB_PORT, `tcp://${ip}:5432`);
  assert.equal(env.DSN, `postgres://${ip}:5432/x`);
  const q = await k.waitFor('nolinks', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const env2 = JSON.parse((await k.waitHttp(q, '/env')).body) as Record<string, string>;
  assert.equal(env2.MY_DB_SERVICE_HOST, undefined);
  for (const n of ['links', 'nolinks']) await k.del(n, 0);
});
