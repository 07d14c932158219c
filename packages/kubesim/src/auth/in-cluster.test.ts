import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { startCluster, type Cluster } from '../cluster.js';

// A pod as an API client, as on a real cluster: the ServiceAccount admission plugin projects a
// token bound to the pod, the cluster CA and the namespace at
// /var/run/secrets/kubernetes.io/serviceaccount (a private mount namespace per container), the
// kubelet sets KUBERNETES_SERVICE_HOST/PORT from the `kubernetes` Service, and the Service proxy
// carries TLS to the API server, which authorizes the token with RBAC.
const kubectl = execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim();
const client = fileURLToPath(new URL('./testdata/in-cluster-client.js', import.meta.url));
const ns = 'incluster';
let cluster: Cluster;
let token = '';

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  ok = true,
): Promise<{ status: number; body: T }> {
  const res = await cluster.fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (ok && !res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, body: JSON.parse(text) as T };
}

interface PodJson {
  status?: { phase?: string };
  spec?: { volumes?: { name: string }[] };
}

async function runPod(name: string, image: string, command: string[]): Promise<{ phase: string; log: string }> {
  await call('POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      serviceAccountName: 'reader',
      restartPolicy: 'Never',
      containers: [
        {
          name: 'main',
          image,
          command,
          // No kubeconfig: kubectl and client-node must fall back to the in-cluster configuration.
          env: [{ name: 'KUBECONFIG', value: '/nonexistent' }],
        },
      ],
    },
  });
  const end = Date.now() + 30_000;
  for (;;) {
    const pod = (await call<PodJson>('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).body;
    const phase = pod.status?.phase ?? '';
    if (phase === 'Succeeded' || phase === 'Failed') {
      const res = await cluster.fetch(`/api/v1/namespaces/${ns}/pods/${name}/log`, { headers: { authorization: `Bearer ${token}` } });
      return { phase, log: await res.text() };
    }
    if (Date.now() > end) throw new Error(`pod ${name} did not finish (phase ${phase})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  cluster = await startCluster({
    images: {
      'kubesim-test/kubectl:1.32': { path: [dirname(kubectl)] },
      'kubesim-test/in-cluster-client:v1': { entrypoint: [process.execPath, client] },
    },
    propagationDelayMs: 100,
  });
  token = /token: (\S+)/.exec(cluster.kubeconfig)?.[1] ?? '';
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await call('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'reader' },
  });
});
after(async () => {
  await cluster?.stop();
});

describe('a pod as an API client (in-cluster config, RBAC)', { timeout: 120_000 }, () => {
  it('without a binding, kubectl and loadFromCluster() get the real 403', async () => {
    const forbidden = `pods is forbidden: User "system:serviceaccount:${ns}:reader" cannot list resource "pods" in API group "" in the namespace "${ns}"`;
    const k = await runPod('kubectl-denied', 'kubesim-test/kubectl:1.32', ['kubectl', 'get', 'pods', '-o', 'name']);
    assert.equal(k.phase, 'Failed', k.log);
    assert.ok(k.log.includes(`Error from server (Forbidden): ${forbidden}`), k.log);
    const c = await runPod('client-denied', 'kubesim-test/in-cluster-client:v1', []);
    assert.equal(c.phase, 'Failed', c.log);
    assert.ok(c.log.includes('error 403') && c.log.includes(JSON.stringify(forbidden).slice(1, -1)), c.log);
  });

  it('with a Role bound to the ServiceAccount, both list the pods', async () => {
    await call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    await call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader-reads-pods' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    });
    const k = await runPod('kubectl-allowed', 'kubesim-test/kubectl:1.32', ['kubectl', 'get', 'pods', '-o', 'name']);
    assert.equal(k.phase, 'Succeeded', k.log);
    assert.ok(k.log.includes('pod/kubectl-denied') && k.log.includes('pod/kubectl-allowed'), k.log);
    const c = await runPod('client-allowed', 'kubesim-test/in-cluster-client:v1', []);
    assert.equal(c.phase, 'Succeeded', c.log);
    assert.match(c.log, /pods: .*client-allowed/);
  });

  it('the admission plugin added the projected kube-api-access volume; the token dies with its ServiceAccount', async () => {
    const pod = (await call<PodJson>('GET', `/api/v1/namespaces/${ns}/pods/client-allowed`)).body;
    assert.ok(
      pod.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-')),
      JSON.stringify(pod.spec?.volumes),
    );
    const tr = await call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {},
    });
    const asReader = () => cluster.fetch(`/api/v1/namespaces/${ns}/pods`, { headers: { authorization: `Bearer ${tr.body.status.token}` } });
    assert.equal((await asReader()).status, 200);
    await call('DELETE', `/api/v1/namespaces/${ns}/serviceaccounts/reader`);
    const res = await asReader();
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { message: string }).message, 'Unauthorized');
  });
});
