import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, waitFor } from '../testing/test-cluster.js';
import type { TestCluster } from '../testing/test-cluster.js';
import { kubectl } from '../testing/kubectl.js';
import { startFakeNode } from '../testing/fake-node.js';
import type { FakeNode } from '../testing/fake-node.js';

let c: TestCluster;
let revived: FakeNode | undefined;
let dir: string;
let kubeconfig: string;
const k = async (args: string[], o: { timeoutMs?: number; input?: string; until?: RegExp } = {}) => {
  const t0 = Date.now();
  const r = await kubectl(args, { kubeconfig, ...o });
  if (process.env.KUBECTL_TEST_TIMING) console.error(`kubectl ${args.join(' ')}: ${Date.now() - t0} ms`);
  return r;
};

before(async () => {
  c = await startTestCluster({ behavior: () => ({ readyDelayMs: 50, terminationDelayMs: 50 }) });
  dir = await mkdtemp(join(tmpdir(), 'kubesim-kubectl-'));
  kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, c.kubeconfig);
});
after(async () => {
  await revived?.stop();
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const manifest = (name: string, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubernetes.io/change-cause: first release
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${name}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${image}
`;

test('apply, rollout status, set image, rollout history, rollout undo', { timeout: 90_000 }, async () => {
  const applied = await k(['apply', '-f', '-'], { input: manifest('web', 'app:v1') });
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /deployment.apps\/web created/);
  const status = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /deployment "web" successfully rolled out/);

  const set = await k(['set', 'image', 'deployment/web', 'main=app:v2']);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /deployment.apps\/web image updated/);
  const status2 = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  assert.equal(status2.code, 0, status2.stderr);
  assert.match(status2.stdout, /successfully rolled out/);

  const hist = await k(['rollout', 'history', 'deployment/web']);
  assert.equal(hist.code, 0, hist.stderr);
  assert.match(hist.stdout, /REVISION\s+CHANGE-CAUSE/);
  assert.match(hist.stdout, /^1\s+first release$/m);
  assert.match(hist.stdout, /^2\s+first release$/m);
  const rev1 = await k(['rollout', 'history', 'deployment/web', '--revision=1']);
  assert.match(rev1.stdout, /Image:\s+app:v1/);

  const undo = await k(['rollout', 'undo', 'deployment/web']);
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /deployment.apps\/web rolled back/);
  const status3 = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  assert.equal(status3.code, 0, status3.stderr);
  const image = await k([
    'get',
    'deployment/web',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
  ]);
  assert.equal(image.stdout, 'app:v1 3');
  const hist2 = await k(['rollout', 'history', 'deployment/web']);
  assert.doesNotMatch(hist2.stdout, /^1\s/m, 'revision 1 became 3');
  assert.match(hist2.stdout, /^2\s/m);
  assert.match(hist2.stdout, /^3\s/m);
  const rs = await k(['get', 'rs', '-l', 'app=web', '-o', 'name']);
  assert.equal(rs.stdout.trim().split('\n').length, 2);
});

test('rollout pause / resume / restart and describe', { timeout: 90_000 }, async () => {
  assert.equal((await k(['rollout', 'pause', 'deployment/web'])).code, 0);
  assert.equal((await k(['set', 'image', 'deployment/web', 'main=app:v9'])).code, 0);
  await new Promise((r) => setTimeout(r, 300));
  const paused = await k(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.template.spec.containers[0].image}']);
  assert.doesNotMatch(paused.stdout, /app:v9/, 'no ReplicaSet for the new image while paused');
  const undoPaused = await k(['rollout', 'undo', 'deployment/web']);
  assert.notEqual(undoPaused.code, 0, 'kubectl refuses to roll back a paused deployment');
  assert.equal((await k(['rollout', 'resume', 'deployment/web'])).code, 0);
  const s1 = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  assert.equal(s1.code, 0, s1.stderr);
  const restart = await k(['rollout', 'restart', 'deployment/web']);
  assert.equal(restart.code, 0, restart.stderr);
  const s2 = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  assert.equal(s2.code, 0, s2.stderr);
  const rev = await k(['get', 'deployment/web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']);
  assert.equal(rev.stdout, '5');
  const described = await k(['describe', 'deployment/web']);
  assert.equal(described.code, 0, described.stderr);
  assert.match(described.stdout, /Progressing\s+True\s+NewReplicaSetAvailable/);
  assert.match(described.stdout, /ScalingReplicaSet/);
  assert.match(described.stdout, /NewReplicaSet:\s+web-/);
});

test('rollout status fails with the progress deadline message', { timeout: 60_000 }, async () => {
  await c.clients.apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name: 'never' },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 1,
        selector: { matchLabels: { app: 'never' } },
        template: { metadata: { labels: { app: 'never' } }, spec: { containers: [{ name: 'main', image: 'app:v1' }] } },
      },
    },
  });
  await c.node!.stop(); // no node progress from here: pods stay Pending
  const status = await k(['rollout', 'status', 'deployment/never', '--timeout=20s']);
  assert.notEqual(status.code, 0);
  assert.match(status.stderr, /deployment "never" exceeded its progress deadline/);
  // A new kubelet instance for the same node picks the pods up again.
  revived = await startFakeNode({ kubeconfig: c.kubeconfig, behavior: () => ({ terminationDelayMs: 50 }) });
});

test('get -w streams changes (bounded)', { timeout: 60_000 }, async () => {
  const watching = k(
    [
      'get',
      'deployments',
      '-w',
      '--output-watch-events',
      '-o',
      'custom-columns=EVENT:.type,NAME:.object.metadata.name,REPLICAS:.object.spec.replicas',
    ],
    { timeoutMs: 15_000, until: /MODIFIED\s+web\s+5/ },
  );
  await new Promise((r) => setTimeout(r, 500));
  const scaled = await k(['scale', 'deployment/web', '--replicas=5']);
  assert.equal(scaled.code, 0, scaled.stderr);
  const out = await watching;
  assert.equal(out.timedOut, false, `watch output: ${out.stdout} ${out.stderr}`);
  assert.match(out.stdout, /ADDED\s+web\s+3/);
  assert.match(out.stdout, /MODIFIED\s+web\s+5/);
});

test('delete with each --cascade', { timeout: 60_000 }, async () => {
  const mk = async (name: string): Promise<void> => {
    const r = await k(['apply', '-f', '-'], { input: manifest(name, 'app:v1') });
    assert.equal(r.code, 0, r.stderr);
    await waitFor(`${name} ReplicaSet`, async () => (await k(['get', 'rs', '-l', `app=${name}`, '-o', 'name'])).stdout.trim() !== '');
  };
  await mk('orphan');
  const o = await k(['delete', 'deployment', 'orphan', '--cascade=orphan']);
  assert.equal(o.code, 0, o.stderr);
  const left = await waitFor('orphaned rs', async () => {
    const r = await k(['get', 'rs', '-l', 'app=orphan', '-o', 'jsonpath={.items[*].metadata.ownerReferences}']);
    return (await k(['get', 'deployment', 'orphan'])).code !== 0 ? r : undefined;
  });
  assert.equal(left.stdout.trim(), '', 'ReplicaSet kept, without its owner');
  const orphanRs = (await k(['get', 'rs', '-l', 'app=orphan', '-o', 'name'])).stdout.trim();
  assert.notEqual(orphanRs, '');
  // Re-creating the Deployment adopts the orphaned ReplicaSet instead of starting a new one.
  assert.equal((await k(['apply', '-f', '-'], { input: manifest('orphan', 'app:v1') })).code, 0);
  const adopted = await waitFor('adoption', async () => {
    const r = await k(['get', 'rs', '-l', 'app=orphan', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].kind}']);
    return r.stdout.trim() === 'Deployment' ? r : undefined;
  });
  assert.ok(adopted);
  assert.equal((await k(['get', 'rs', '-l', 'app=orphan', '-o', 'name'])).stdout.trim(), orphanRs, 'the same ReplicaSet, no new one');

  await mk('bg');
  const b = await k(['delete', 'deployment', 'bg', '--cascade=background']);
  assert.equal(b.code, 0, b.stderr);
  await waitFor('bg ReplicaSet collected', async () => (await k(['get', 'rs', '-l', 'app=bg', '-o', 'name'])).stdout.trim() === '');

  await mk('fg');
  const f = await k(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=true', '--timeout=20s']);
  assert.equal(f.code, 0, f.stderr);
  assert.equal((await k(['get', 'rs', '-l', 'app=fg', '-o', 'name'])).stdout.trim(), '', 'dependents gone before the owner');
});
