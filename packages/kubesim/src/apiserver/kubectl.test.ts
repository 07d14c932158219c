import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, fakeKubelet, startTestCluster, type TestCluster } from './test-support.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: demo-app:v1
        env: [{name: A, value: "1"}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('apiserver with the real kubectl', { timeout: 90_000 }, () => {
  let c: TestCluster;
  let dir: string;
  let kubeconfig: string;
  let kubelet: { server: Server; port: number };

  /** Runs /usr/bin/kubectl with an argv array, bounded in time. */
  function kubectl(args: string[], opts: { stdin?: string; timeoutMs?: number; until?: (out: string) => boolean } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      // A private discovery cache: each test server has a new port, so the shared one would only grow.
      const p = spawn('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '',
        stderr = '';
      const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
      p.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (opts.until?.(stdout)) p.kill('SIGTERM');
      });
      p.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      p.on('error', reject);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      p.stdin.end(opts.stdin ?? '');
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubesim-kubectl-'));
    c = await startTestCluster();
    kubeconfig = join(dir, 'kubeconfig');
    await c.server.writeKubeconfig(kubeconfig);
    await writeFile(join(dir, 'app.yaml'), manifests);
    kubelet = await fakeKubelet([], c.server.token);
  });
  after(async () => {
    await c.stop();
    await new Promise((r) => kubelet.server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('apply -f creates, get -o json reads, apply again is unchanged', async () => {
    const r = await kubectl(['apply', '-f', join(dir, 'app.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deployment.apps/web created\nservice/web created\n');
    const g = await kubectl(['get', 'deploy', 'web', '-o', 'json']);
    const d = JSON.parse(g.stdout) as { spec: { replicas: number; strategy: { type: string } } };
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.strategy.type, 'RollingUpdate');
    const again = await kubectl(['apply', '-f', join(dir, 'app.yaml')]);
    assert.equal(again.stdout, 'deployment.apps/web unchanged\nservice/web unchanged\n');
    const table = await kubectl(['get', 'svc', 'web']);
    assert.match(
      table.stdout,
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+127\.96\.\d+\.\d+\s+<none>\s+80\/TCP/,
    );
  });

  it('patch, scale and set image change the object', async () => {
    assert.equal(
      (
        await kubectl([
          'patch',
          'deploy',
          'web',
          '-p',
          '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}',
        ])
      ).code,
      0,
    );
    assert.equal((await kubectl(['scale', 'deploy', 'web', '--replicas=3'])).stdout, 'deployment.apps/web scaled\n');
    assert.equal((await kubectl(['set', 'image', 'deploy/web', 'web=demo-app:v2'])).stdout, 'deployment.apps/web image updated\n');
    const d = await c.apps.readNamespacedDeployment({ namespace: 'default', name: 'web' });
    assert.equal(d.spec?.replicas, 3);
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'demo-app:v2');
    assert.deepEqual(
      d.spec?.template.spec?.containers[0]?.env?.map((e) => e.name),
      ['A', 'B'],
    );
  });

  it('get -w streams changes', async () => {
    const watching = kubectl(['get', 'configmaps', '-w', '--output-watch-events'], {
      until: (o) => o.includes('w-late'),
      timeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, 1500));
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w-late' } } });
    const r = await watching;
    assert.match(r.stdout, /ADDED\s+w-late/);
  });

  it('rollout status waits for the status the controller reports', async () => {
    const d = await c.apps.readNamespacedDeployment({ namespace: 'default', name: 'web' });
    const gen = d.metadata?.generation ?? 0;
    await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/status',
      {
        status: {
          observedGeneration: gen,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: [
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          ],
        },
      },
      'application/merge-patch+json',
    );
    const r = await kubectl(['rollout', 'status', 'deploy/web', '--timeout=10s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /successfully rolled out/);
  });

  it('apply --server-side works and reports conflicts like a real server', async () => {
    const r = await kubectl(['apply', '--server-side', '-f', join(dir, 'app.yaml')]);
    assert.notEqual(r.code, 0, 'replicas and image were changed by other managers');
    assert.match(r.stderr, /Apply failed with \d conflicts?: conflict with "kubectl-/);
    const forced = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(dir, 'app.yaml')]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, 'deployment.apps/web serverside-applied\nservice/web serverside-applied\n');
  });

  it('delete --cascade=background|foreground|orphan', async () => {
    for (const mode of ['background', 'foreground', 'orphan']) {
      const name = `del-${mode}`;
      const cm = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } });
      await c.core.createNamespacedSecret({
        namespace: 'default',
        body: {
          metadata: {
            name: `${name}-child`,
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid: cm.metadata!.uid!, blockOwnerDeletion: true }],
          },
        },
      });
      const r = await kubectl(['delete', 'configmap', name, `--cascade=${mode}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `configmap "${name}" deleted\n`);
      const child = async (): Promise<number> => (await c.req('GET', `/api/v1/namespaces/default/secrets/${name}-child`)).status;
      if (mode === 'orphan') {
        await eventually(async () => (await c.req('GET', `/api/v1/namespaces/default/configmaps/${name}`)).status === 404 || undefined);
        assert.equal(await child(), 200);
      } else await eventually(async () => (await child()) === 404 || undefined);
    }
  });

  it('logs and exec reach the kubelet', async () => {
    await c.core.createNode({
      body: {
        metadata: { name: 'n1' },
        status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } },
      },
    });
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'lp' }, spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }] } },
    });
    await c.req(
      'PATCH',
      '/api/v1/namespaces/default/pods/lp/status',
      {
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } }],
        },
      },
      'application/merge-patch+json',
    );
    const logs = await kubectl(['logs', 'lp']);
    assert.equal(logs.stdout, 'line 1\nline 2\n', logs.stderr);
    const exec = await kubectl(['exec', '-i', 'lp', '--', 'cat'], { stdin: 'ping' });
    assert.equal(exec.stdout, 'ping', exec.stderr);
  });

  it('imperative create and run (protobuf bodies) create the right objects', async () => {
    for (const args of [
      ['create', 'namespace', 'imp'],
      ['create', 'configmap', 'imp-cm', '--from-literal=a=b'],
      ['create', 'deployment', 'imp-d', '--image=nginx:1.25', '--replicas=0', '--port=80'],
      ['create', 'job', 'imp-j', '--image=busybox', '--', 'echo', 'hi'],
      ['create', 'service', 'clusterip', 'imp-s', '--tcp=80:8080'],
      ['run', 'imp-p', '--image=busybox', '--env=A=1', '--', 'sleep', '1'],
      ['create', 'role', 'rb1', '--verb=get,list', '--resource=pods,deployments.apps'],
      ['create', 'rolebinding', 'rb1', '--role=rb1', '--serviceaccount=default:default'],
    ]) {
      const r = await kubectl(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal((await c.core.readNamespace({ name: 'imp' })).status?.phase, 'Active');
    assert.equal((await c.core.readNamespacedConfigMap({ namespace: 'default', name: 'imp-cm' })).data?.['a'], 'b');
    const d = await c.apps.readNamespacedDeployment({ namespace: 'default', name: 'imp-d' });
    assert.equal(d.spec?.replicas, 0, 'an explicit zero survives');
    assert.equal(d.spec?.template.spec?.containers[0]?.ports?.[0]?.containerPort, 80);
    const j = await c.batch.readNamespacedJob({ namespace: 'default', name: 'imp-j' });
    assert.deepEqual(j.spec?.template.spec?.containers[0]?.command, ['echo', 'hi']);
    assert.equal(j.spec?.template.spec?.restartPolicy, 'Never');
    const s = await c.core.readNamespacedService({ namespace: 'default', name: 'imp-s' });
    assert.equal(s.spec?.ports?.[0]?.targetPort, 8080);
    const role = await c.req('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/rb1');
    assert.deepEqual(role.body.rules, [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
    ]);
    const binding = await c.req('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb1');
    assert.deepEqual(binding.body.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rb1' });
    const canI = await kubectl(['auth', 'can-i', 'patch', 'deployments']);
    assert.equal(canI.stdout, 'yes\n', canI.stderr);
    assert.match((await kubectl(['auth', 'whoami'])).stdout, /kubesim-admin/);
    const p = await c.core.readNamespacedPod({ namespace: 'default', name: 'imp-p' });
    assert.deepEqual(p.spec?.containers[0]?.args, ['sleep', '1']);
    assert.equal(p.spec?.containers[0]?.env?.[0]?.value, '1');
  });

  it("bad input gives kubectl's usual errors", async () => {
    await writeFile(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data: x\n');
    const bad = await kubectl(['apply', '-f', join(dir, 'bad.yaml')]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /error converting YAML to JSON/);
    await writeFile(join(dir, 'unknown.yaml'), 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: a\n');
    const unknown = await kubectl(['apply', '-f', join(dir, 'unknown.yaml')]);
    assert.match(unknown.stderr, /no matches for kind "Foo" in version "v1"/);
    await writeFile(join(dir, 'invalid.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const invalid = await kubectl(['apply', '-f', join(dir, 'invalid.yaml')]);
    assert.match(
      invalid.stderr,
      /The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    await writeFile(join(dir, 'typo.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  a: b\n');
    const typo = await kubectl(['apply', '-f', join(dir, 'typo.yaml')]);
    assert.match(typo.stderr, /strict decoding error: unknown field "datta"/);
    const missing = await kubectl(['get', 'deploy', 'nope']);
    assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  });
});
