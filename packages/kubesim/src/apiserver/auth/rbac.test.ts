import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApiServer, type ApiServer } from '../index.js';
import { kubectl as runKubectl } from '../../testing/kubectl.js';

// RBAC as kube-apiserver evaluates it, driven through the real kubectl (auth can-i, create
// token, --as impersonation) and plain HTTP for the exact Status bodies.
let api: ApiServer;
let dir = '';
let adminKc = '';
const ns = 'rbac-test';

const kubectl = (args: string[], kubeconfig = adminKc) => runKubectl(args, { kubeconfig });

async function req(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await api.fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const admin = (method: string, path: string, body?: unknown) => req(method, path, api.token, body);

async function saToken(name: string): Promise<string> {
  const r = await kubectl(['-n', ns, 'create', 'token', name]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

async function kubeconfigFor(token: string, file: string): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, api.kubeconfig().replace(/token: \S+/, `token: ${token}`), { mode: 0o600 });
  return path;
}

const rbac = '/apis/rbac.authorization.k8s.io/v1';
const binding = (name: string, roleKind: string, role: string, sa: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
});

before(async () => {
  api = await startApiServer();
  dir = await mkdtemp(join(tmpdir(), 'kubesim-rbac-'));
  adminKc = join(dir, 'admin.yaml');
  await api.writeKubeconfig(adminKc);
  await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const sa of ['app', 'other'])
    await admin('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
});
after(async () => {
  await api?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('RBAC authorizer', { timeout: 60_000 }, () => {
  it('kubectl auth can-i follows a Role and its RoleBinding (and --as agrees)', async () => {
    const kc = await kubeconfigFor(await saToken('app'), 'app.yaml');
    const before = await kubectl(['-n', ns, 'auth', 'can-i', 'list', 'pods'], kc);
    assert.equal(before.stdout, 'no\n');
    assert.equal(before.code, 1);
    await admin('POST', `${rbac}/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['*'] },
      ],
    });
    await admin('POST', `${rbac}/namespaces/${ns}/rolebindings`, binding('app-reader', 'Role', 'reader', 'app'));
    const cases: [string[], string][] = [
      [['list', 'pods'], 'yes'],
      [['get', 'pods/log'], 'yes'],
      [['delete', 'pods'], 'no'],
      [['get', 'pods', '--subresource=exec'], 'no'],
      [['patch', 'deployments.apps/web'], 'yes'],
      [['patch', 'deployments.apps/api'], 'no'],
      [['list', 'deployments.apps'], 'no'],
      [['list', 'pods', '-n', 'default'], 'no'],
      [['list', 'secrets'], 'no'],
    ];
    for (const [args, want] of cases) {
      assert.equal(
        (await kubectl(['-n', ns, 'auth', 'can-i', ...args], kc)).stdout.trim(),
        want,
        `can-i ${args.join(' ')} as the ServiceAccount`,
      );
      assert.equal(
        (await kubectl(['-n', ns, 'auth', 'can-i', ...args, `--as=system:serviceaccount:${ns}:app`])).stdout.trim(),
        want,
        `can-i ${args.join(' ')} --as`,
      );
    }
    assert.equal(
      (await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], kc)).stdout,
      `system:serviceaccount:${ns}:app`,
    );
  });

  it('a denied request is the real 403 Status; the admin token keeps full access', async () => {
    const token = await saToken('other');
    const list = await req('GET', `/api/v1/namespaces/${ns}/secrets`, token);
    assert.equal(list.status, 403);
    assert.deepEqual(list.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      details: { kind: 'secrets' },
      message: `secrets is forbidden: User "system:serviceaccount:${ns}:other" cannot list resource "secrets" in API group "" in the namespace "${ns}"`,
    });
    const one = await req('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`, token);
    assert.equal(
      one.body['message'],
      `deployments.apps "web" is forbidden: User "system:serviceaccount:${ns}:other" cannot get resource "deployments" in API group "apps" in the namespace "${ns}"`,
    );
    assert.deepEqual(one.body['details'], { name: 'web', group: 'apps', kind: 'deployments' });
    const nodes = await req('GET', '/api/v1/nodes', token);
    assert.equal(
      nodes.body['message'],
      `nodes is forbidden: User "system:serviceaccount:${ns}:other" cannot list resource "nodes" in API group "" at the cluster scope`,
    );
    const path = await req('GET', '/metrics', token);
    assert.equal(path.status, 403);
    assert.equal(path.body['message'], `forbidden: User "system:serviceaccount:${ns}:other" cannot get path "/metrics"`);
    // Discovery is open to every authenticated user (system:discovery), as on a real cluster.
    assert.equal((await req('GET', '/apis', token)).status, 200);
    assert.equal((await admin('GET', '/api/v1/nodes')).status, 200);
    assert.equal((await req('GET', '/api/v1/pods', 'not-a-token')).status, 401);
  });

  it('a Role with an unknown verb is stored but grants nothing; ClusterRoles aggregate; ClusterRole via RoleBinding is namespaced', async () => {
    const token = await saToken('other');
    const made = await admin('POST', `${rbac}/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'typo' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['lsit'] }],
    });
    assert.equal(made.status, 201);
    await admin('POST', `${rbac}/namespaces/${ns}/rolebindings`, binding('other-typo', 'Role', 'typo', 'other'));
    assert.equal((await req('GET', `/api/v1/namespaces/${ns}/configmaps`, token)).status, 403);

    await admin('POST', `${rbac}/clusterroles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    });
    let view: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      view = (await admin('GET', `${rbac}/clusterroles/view`)).body;
      if (JSON.stringify(view['rules']).includes('widgets')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(JSON.stringify(view['rules']).includes('"widgets"'), 'view aggregated the labelled ClusterRole');
    assert.ok(
      JSON.stringify((await admin('GET', `${rbac}/clusterroles/admin`)).body['rules']).includes('"widgets"'),
      'admin aggregates edit, which aggregates view',
    );

    await admin('POST', `${rbac}/namespaces/${ns}/rolebindings`, binding('other-view', 'ClusterRole', 'view', 'other'));
    assert.equal((await req('GET', `/api/v1/namespaces/${ns}/configmaps`, token)).status, 200);
    assert.equal((await req('GET', '/api/v1/namespaces/default/configmaps', token)).status, 403);
    assert.equal((await req('GET', `/api/v1/namespaces/${ns}/secrets`, token)).status, 403, 'view does not read secrets');
  });

  it('SubjectAccessReview and SelfSubjectRulesReview answer from the same rules', async () => {
    const sar = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${ns}:app`,
        groups: ['system:serviceaccounts'],
        resourceAttributes: { namespace: ns, verb: 'get', resource: 'pods', subresource: 'log' },
      },
    });
    assert.deepEqual(sar.body['status'], {
      allowed: true,
      reason: `RBAC: allowed by RoleBinding "app-reader/${ns}" of Role "reader" to ServiceAccount "app/${ns}"`,
    });
    const denied = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: `system:serviceaccount:${ns}:app`, resourceAttributes: { namespace: ns, verb: 'delete', resource: 'pods' } },
    });
    assert.deepEqual(denied.body['status'], { allowed: false });
    const kc = await kubeconfigFor(await saToken('app'), 'app2.yaml');
    const list = await kubectl(['-n', ns, 'auth', 'can-i', '--list'], kc);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /pods\/log\s+\[\]\s+\[\]\s+\[get list\]/);
    assert.match(list.stdout, /deployments\.apps\s+\[\]\s+\[web\]\s+\[\*\]/);
  });
});
