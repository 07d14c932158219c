import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { startApiServer, type ApiServer, type ApiServerOptions } from './api-server.js';

/** A started server plus typed clients on it, for this folder's tests. */
export interface TestCluster {
  server: ApiServer;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** Raw HTTP call with the bearer token; the body is parsed JSON when possible. */
  req(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestCluster(options: ApiServerOptions = {}): Promise<TestCluster> {
  const server = await startApiServer(options);
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  return {
    server,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
    async req(method, path, body, contentType = 'application/json') {
      const init: Parameters<ApiServer['fetch']>[1] = {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const r = await server.fetch(path, init);
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* text body */
      }
      return { status: r.status, body: parsed };
    },
    stop: () => server.stop(),
  };
}

/** Polls `check` until it returns a non-undefined value or `ms` pass. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function deployment(name: string, extra: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'demo-app:v1' }] } },
      ...extra,
    },
  };
}

/**
 * A stand-in kubelet: answers containerLogs and echoes exec stdin back on stdout (v5 channel
 * framing). Like kubesim's kubelet it admits only the bearer token of its own kubeconfig,
 * `kubeletToken`, and answers anything else 401.
 */
export async function fakeKubelet(
  seen: { url: string; auth: string | undefined }[],
  kubeletToken: string,
): Promise<{ server: Server; port: number }> {
  const admitted = (auth: string | undefined): boolean => auth === `Bearer ${kubeletToken}`;
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    if (!admitted(req.headers.authorization)) {
      res.writeHead(401);
      res.end('Unauthorized');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('line 1\nline 2\n');
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
  server.on('upgrade', (req, socket, head) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    if (!admitted(req.headers.authorization)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 12\r\nconnection: close\r\n\r\nUnauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0) ws.send(Buffer.concat([Buffer.from([1]), data.subarray(1)]));
        ws.close();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}
