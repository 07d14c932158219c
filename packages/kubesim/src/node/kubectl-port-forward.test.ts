import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { startCluster, type Cluster } from '../cluster.js';

// `kubectl port-forward` against kubesim as against a real cluster: kubectl 1.32 tunnels SPDY
// through a WebSocket (SPDY/3.1+portforward.k8s.io), with KUBECTL_PORT_FORWARD_WEBSOCKETS=false
// it speaks SPDY/3.1 directly; client-node uses the WebSocket channel protocol.
const images = fileURLToPath(new URL('../../../demo-app/images.yaml', import.meta.url));
let cluster: Cluster;
let dir = '';
let kubeconfigPath = '';
let token = '';
const children: ChildProcess[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await cluster.fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Starts kubectl port-forward; resolves with the local port once it says "Forwarding from". */
function portForward(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; output: () => string; child: ChildProcess }> {
  const child = spawn('kubectl', ['--kubeconfig', kubeconfigPath, 'port-forward', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubectl port-forward did not start: ${out}`)), 20_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), output: () => out, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl exited ${code}: ${out}`));
    });
  });
}

const version = async (port: number): Promise<string> =>
  ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string }).version;

before(async () => {
  cluster = await startCluster({ images, propagationDelayMs: 100 });
  token = /token: (\S+)/.exec(cluster.kubeconfig)?.[1] ?? '';
  dir = await mkdtemp(join(tmpdir(), 'kubesim-pf-'));
  kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, cluster.kubeconfig, { mode: 0o600 });
  await call('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'demo', labels: { app: 'demo' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'demo/app:v1',
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 1 },
        },
      ],
    },
  });
  await call('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'demo' },
    spec: { selector: { app: 'demo' }, ports: [{ port: 80 + Math.floor(Math.random() * 1000) + 20000, targetPort: 'http' }] },
  });
  for (let i = 0; ; i++) {
    const pod = (await call('GET', '/api/v1/namespaces/default/pods/demo')) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
    if (i > 150) throw new Error('demo pod not ready');
    await new Promise((r) => setTimeout(r, 200));
  }
});
after(async () => {
  for (const c of children) c.kill('SIGTERM');
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pods/portforward', { timeout: 120_000 }, () => {
  it('kubectl port-forward pod/demo answers over the WebSocket tunnel, and over SPDY', async () => {
    const ws = await portForward(['pod/demo', ':8080', '-v=4']);
    assert.equal(await version(ws.port), 'v1');
    assert.equal(await version(ws.port), 'v1', 'a second connection over the same session');
    assert.match(ws.output(), /negotiated protocol: portforward\.k8s\.io/);
    const spdy = await portForward(['pod/demo', ':8080', '-v=4'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    assert.equal(await version(spdy.port), 'v1');
    assert.doesNotMatch(spdy.output(), /negotiated protocol/);
  });

  it('kubectl port-forward svc/demo resolves the Service to its pod and targetPort', async () => {
    const svc = (await call('GET', '/api/v1/namespaces/default/services/demo')) as { spec: { ports: { port: number }[] } };
    const pf = await portForward(['svc/demo', `:${svc.spec.ports[0]!.port}`]);
    assert.equal(await version(pf.port), 'v1');
  });

  it('a port nothing listens on: the real error from kubectl, and kubesim keeps serving', async () => {
    const pf = await portForward(['pod/demo', ':9']);
    await assert.rejects(fetch(`http://127.0.0.1:${pf.port}/`));
    for (let i = 0; i < 50 && !/an error occurred forwarding/.test(pf.output()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(
      pf.output(),
      /an error occurred forwarding \d+ -> 9: error forwarding port 9 to pod [-0-9a-f]+, uid : .*dial tcp4 127\.244\.\d+\.\d+:9: connect: connection refused/,
    );
    const again = await portForward(['pod/demo', ':8080']);
    assert.equal(await version(again.port), 'v1');
  });

  it('client-node PortForward (WebSocket channels) reaches the pod', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const forward = new PortForward(kc);
    const local = createServer((socket) => {
      void forward.portForward('default', 'demo', [8080], socket, null, socket);
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(`http://127.0.0.1:${(local.address() as AddressInfo).port}/`, { headers: { connection: 'close' } });
      assert.equal(((await res.json()) as { version: string }).version, 'v1');
    } finally {
      local.close();
    }
  });
});
