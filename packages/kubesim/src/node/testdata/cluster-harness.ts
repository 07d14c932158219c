// Test harness: a kubesim API server (or, with KUBESIM_NODE_FAKE_API=1, the small fake) plus a
// kubelet with the test app image, and helpers to create pods and wait for their state.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import type { Kubelet, KubeletOptions } from '../kubelet.js';
import { startKubelet } from '../kubelet.js';
import type { KubeClient } from '../kube-client.js';
import { createKubeClient } from '../kube-client.js';
import type { Container, Pod } from '../pod-types.js';
import { startFakeApiServer } from './fake-api-server.js';

export const TEST_APP = join(dirname(fileURLToPath(import.meta.url)), 'test-app.js');
export const TEST_IMAGE = 'test/app:v1';
export const TEST_IMAGE_V2 = 'test/app:v2';

export interface ApiServerHandle {
  url: string;
  token: string;
  kubeconfig(): string;
  stop(): Promise<void>;
}

/** Starts kubesim's API server (src/apiserver); the fake one only when asked to by env. */
export async function startApi(): Promise<ApiServerHandle> {
  if (process.env.KUBESIM_NODE_FAKE_API === '1') return startFakeApiServer();
  const modPath = '../../apiserver/index.js';
  const mod = (await import(modPath)) as { startApiServer(o?: object): Promise<ApiServerHandle> };
  return mod.startApiServer({});
}

export interface Cluster {
  api: ApiServerHandle;
  kubelet: Kubelet;
  client: KubeClient;
  dir: string;
  create(pod: Pod): Promise<Pod>;
  get(name: string): Promise<Pod | undefined>;
  waitFor(name: string, what: string, pred: (p: Pod) => boolean, timeoutMs?: number): Promise<Pod>;
  waitGone(name: string, timeoutMs?: number): Promise<void>;
  del(name: string, gracePeriodSeconds?: number): Promise<void>;
  http(pod: Pod, path: string): Promise<{ status: number; body: string }>;
  /** Retries until the app answers (a container is "running" before it listens). */
  waitHttp(pod: Pod, path: string, timeoutMs?: number): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export function appPod(name: string, c: Partial<Container> = {}, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'test' } },
    spec: {
      nodeName: 'kubesim-node',
      terminationGracePeriodSeconds: 5,
      ...spec,
      containers: [
        {
          name: 'app',
          image: TEST_IMAGE,
          ports: [{ name: 'http', containerPort: 8080 }],
          ...c,
          env: [{ name: 'PORT', value: '8080' }, ...(c.env ?? [])],
        },
      ],
    },
  };
}

export const cond = (p: Pod, type: string): string | undefined => p.status?.conditions?.find((c) => c.type === type)?.status;

function httpGet(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: 8080, path, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function startCluster(o: Partial<KubeletOptions> = {}): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-node-test-'));
  const api = await startApi();
  let kubelet: Kubelet;
  try {
    kubelet = await startKubelet({
      kubeconfig: api.kubeconfig(),
      images: {
        [TEST_IMAGE]: { entrypoint: [process.execPath, TEST_APP] },
        [TEST_IMAGE_V2]: { entrypoint: [process.execPath, TEST_APP], env: { APP_VERSION: 'v2' } },
      },
      logDir: join(dir, 'logs'),
      backOff: { initialMs: 300, maxMs: 2000 },
      heartbeatMs: 1000,
      ...o,
    });
  } catch (e) {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const client = createKubeClient(api.kubeconfig());
  const path = (name: string): string => `/api/v1/namespaces/default/pods/${name}`;
  const get = async (name: string): Promise<Pod | undefined> => {
    const r = await client.request<Pod>('GET', path(name));
    return r.status === 200 ? r.body : undefined;
  };
  return {
    api,
    kubelet,
    client,
    dir,
    get,
    async create(pod) {
      const r = await client.request<Pod>('POST', '/api/v1/namespaces/default/pods', pod);
      if (r.status >= 300 || !r.body) throw new Error(`create pod: HTTP ${r.status} ${r.text}`);
      return r.body;
    },
    async waitFor(name, what, pred, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      let last: Pod | undefined;
      while (Date.now() < end) {
        last = await get(name);
        if (last && pred(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for pod ${name}: ${what}; last status: ${JSON.stringify(last?.status)}`);
    },
    async waitGone(name, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (!(await get(name))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for pod ${name} to be deleted`);
    },
    async del(name, gracePeriodSeconds) {
      const r = await client.request('DELETE', path(name), gracePeriodSeconds === undefined ? undefined : { gracePeriodSeconds });
      if (r.status >= 300) throw new Error(`delete pod: HTTP ${r.status} ${r.text}`);
    },
    http: (pod, p) => httpGet(pod.status?.podIP ?? '', p),
    async waitHttp(pod, p, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        try {
          return await httpGet(pod.status?.podIP ?? '', p);
        } catch (e) {
          if (Date.now() > end) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    async stop() {
      client.close();
      await kubelet.stop();
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
