import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { fakeKubelet, startTestCluster, type TestCluster } from './test-support.js';

/** Opens an exec WebSocket that sends `hello` on stdin: the echoed stdout, or the refusal's HTTP status. */
function execHello(url: string, token: string | undefined, ca: string): Promise<{ echoed: string } | { status: number }> {
  const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
    ca,
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  });
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')])));
    ws.on('message', (d: Buffer) => {
      resolve({ echoed: `${d[0]}:${d.subarray(1).toString()}` });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', reject);
  });
}

describe('apiserver pods/log and pods/exec proxying', { timeout: 30_000 }, () => {
  let c: TestCluster;
  let kubelet: { server: Server; port: number };
  const seen: { url: string; auth: string | undefined }[] = [];
  before(async () => {
    c = await startTestCluster();
    kubelet = await fakeKubelet(seen, c.server.token);
    await c.core.createNode({
      body: {
        metadata: { name: 'n1' },
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
        },
      },
    });
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'main' } },
        spec: {
          nodeName: 'n1',
          containers: [
            { name: 'side', image: 'x' },
            { name: 'main', image: 'x' },
          ],
        },
      },
    });
    await c.req(
      'PATCH',
      '/api/v1/namespaces/default/pods/p/status',
      {
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: 'side', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
            { name: 'main', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
          ],
        },
      },
      'application/merge-patch+json',
    );
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'pending' }, spec: { containers: [{ name: 'a', image: 'x' }] } },
    });
  });
  after(async () => {
    await c.stop();
    await new Promise((r) => kubelet.server.close(r));
  });

  it("proxies logs to the kubelet of the pod's node with the container defaulted, presenting the server's own token", async () => {
    const r = await c.req('GET', '/api/v1/namespaces/default/pods/p/log?tailLines=5&follow=false');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'line 1\nline 2\n');
    assert.equal(seen.at(-1)?.url, '/containerLogs/default/p/main?tailLines=5&follow=false');
    assert.equal(seen.at(-1)?.auth, `Bearer ${c.server.token}`);
    await c.req('GET', '/api/v1/namespaces/default/pods/p/log?container=side');
    assert.equal(seen.at(-1)?.url, '/containerLogs/default/p/side');
  });

  it('answers 400 for unbound pods, unknown containers and exec without an upgrade', async () => {
    const pending = await c.req('GET', '/api/v1/namespaces/default/pods/pending/log');
    assert.equal(pending.status, 400);
    const wrong = await c.req('GET', '/api/v1/namespaces/default/pods/p/log?container=nope');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.message, 'container nope is not valid for pod p');
    const noUpgrade = await c.req('POST', '/api/v1/namespaces/default/pods/p/exec?command=ls');
    assert.equal(noUpgrade.status, 400);
  });

  it('pipes an exec WebSocket (v5.channel.k8s.io) through to the kubelet', async () => {
    const url = `${c.server.httpsUrl.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], { headers: { authorization: `Bearer ${c.server.token}` }, ca: c.server.caPem });
    const got = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')])));
      ws.on('message', (d: Buffer) => resolve(`${d[0]}:${d.subarray(1).toString()}`));
      ws.on('error', reject);
    });
    ws.close();
    assert.equal(got, '1:hello');
    assert.equal(seen.at(-1)?.url, '/exec/default/p/main?command=cat&stdin=true&stdout=true');
    assert.deepEqual(await execHello(url, undefined, c.server.caPem), { status: 401 });
  });

  describe('with service-account tokens', () => {
    const execUrl = (): string =>
      `${c.server.httpsUrl.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true`;
    const tokenOf = async (sa: string): Promise<string> => {
      const r = await c.req('POST', `/api/v1/namespaces/default/serviceaccounts/${sa}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {},
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return String(r.body.status.token);
    };
    let execer = '',
      stranger = '';
    before(async () => {
      for (const sa of ['execer', 'stranger'])
        await c.req('POST', '/api/v1/namespaces/default/serviceaccounts', {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: sa },
        });
      // A WebSocket exec is a GET, so up to Kubernetes 1.34 RBAC asks for `get` on pods/exec.
      await c.req('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'exec' },
        rules: [{ apiGroups: [''], resources: ['pods/exec', 'pods/log'], verbs: ['get'] }],
      });
      await c.req('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'execer-exec' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec' },
        subjects: [{ kind: 'ServiceAccount', name: 'execer', namespace: 'default' }],
      });
      execer = await tokenOf('execer');
      stranger = await tokenOf('stranger');
    });

    it("admits an exec by a service account RBAC allows, and presents the server's own token to the kubelet", async () => {
      assert.deepEqual(await execHello(execUrl(), execer, c.server.caPem), { echoed: '1:hello' });
      assert.equal(seen.at(-1)?.auth, `Bearer ${c.server.token}`);
    });

    it('admits its logs too, without passing its token on', async () => {
      const res = await c.server.fetch('/api/v1/namespaces/default/pods/p/log', { headers: { authorization: `Bearer ${execer}` } });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'line 1\nline 2\n');
      assert.equal(seen.at(-1)?.auth, `Bearer ${c.server.token}`);
    });

    it('answers 403 to a service account without pods/exec and 401 to a token it did not sign', async () => {
      const before = seen.length;
      assert.deepEqual(await execHello(execUrl(), stranger, c.server.caPem), { status: 403 });
      assert.deepEqual(await execHello(execUrl(), `${execer.slice(0, -4)}AAAA`, c.server.caPem), { status: 401 });
      assert.equal(seen.length, before, 'a refused exec never reaches the kubelet');
    });
  });
});
