import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ApiError, errors } from './api-error.js';
import type { ObjectStore } from './store/object-store.js';
import { isObject, type KubeObject } from './types.js';

type Obj = Record<string, unknown>;

/** Where the pod's kubelet listens, from its Node's status (InternalIP, kubeletEndpoint.Port). */
function kubeletAddress(store: ObjectStore, pod: KubeObject): { host: string; port: number } {
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  const nodeName = spec['nodeName'];
  if (typeof nodeName !== 'string' || !nodeName) throw errors.badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const node = store.get('/nodes', undefined, nodeName);
  if (!node) throw errors.notFound('nodes', '', nodeName);
  const st = isObject(node['status']) ? node['status'] : {};
  const addrs = Array.isArray(st['addresses']) ? (st['addresses'] as Obj[]) : [];
  const host = String(addrs.find((a) => a['type'] === 'InternalIP')?.['address'] ?? '127.0.0.1');
  const de =
    isObject(st['daemonEndpoints']) && isObject(st['daemonEndpoints']['kubeletEndpoint']) ? st['daemonEndpoints']['kubeletEndpoint'] : {};
  const port = Number(de['Port'] ?? 0);
  if (!port) throw errors.badRequest(`node ${nodeName} does not report a kubelet endpoint`);
  return { host, port };
}

/** The addressed container: ?container=, else the default-container annotation, else the first. */
function containerOf(pod: KubeObject, q: URLSearchParams): string {
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  const names = [
    ...(Array.isArray(spec['initContainers']) ? spec['initContainers'] : []),
    ...(Array.isArray(spec['containers']) ? spec['containers'] : []),
  ].map((c) => (isObject(c) ? String(c['name']) : ''));
  const main = (Array.isArray(spec['containers']) ? spec['containers'] : []).map((c) => (isObject(c) ? String(c['name']) : ''));
  const wanted = q.get('container') || pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] || main[0] || '';
  if (!names.includes(wanted)) throw errors.badRequest(`container ${wanted} is not valid for pod ${pod.metadata.name}`);
  return wanted;
}

function waitingReason(pod: KubeObject, container: string): string | undefined {
  const st = isObject(pod['status']) ? pod['status'] : {};
  const all = [
    ...(Array.isArray(st['initContainerStatuses']) ? st['initContainerStatuses'] : []),
    ...(Array.isArray(st['containerStatuses']) ? st['containerStatuses'] : []),
  ] as Obj[];
  const cs = all.find((c) => c['name'] === container);
  if (!cs) return 'ContainerCreating';
  const w = isObject(cs['state']) && isObject(cs['state']['waiting']) ? cs['state']['waiting'] : undefined;
  const ran = isObject(cs['state']) && (isObject(cs['state']['running']) || isObject(cs['state']['terminated']));
  return w && !ran && !isObject(cs['lastState']) ? String(w['reason'] ?? 'ContainerCreating') : undefined;
}

const logParams = ['follow', 'tailLines', 'previous', 'timestamps', 'sinceSeconds', 'sinceTime', 'limitBytes'];

/** Resolves the kubelet URL path for a pods/log or pods/exec request, with the real server's 400s. */
/** Where the kubelet serves a pod's port-forward stream (the whole pod: ports are per pod). */
export function portForwardPath(store: ObjectStore, pod: KubeObject, q: URLSearchParams): { host: string; port: number; path: string } {
  const phase = isObject(pod['status']) ? pod['status']['phase'] : undefined;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw errors.badRequest(`cannot port-forward to a completed pod; current phase is ${String(phase)}`);
  const addr = kubeletAddress(store, pod);
  const out = new URLSearchParams();
  for (const p of q.getAll('ports')) out.append('port', p);
  const qs = out.toString();
  return {
    ...addr,
    path: `/portForward/${encodeURIComponent(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name ?? '')}${qs ? '?' + qs : ''}`,
  };
}

export function kubeletPath(
  store: ObjectStore,
  pod: KubeObject,
  sub: 'log' | 'exec',
  q: URLSearchParams,
): { host: string; port: number; path: string } {
  const container = containerOf(pod, q);
  const ns = pod.metadata.namespace ?? '',
    name = pod.metadata.name ?? '';
  const phase = isObject(pod['status']) ? pod['status']['phase'] : undefined;
  if (sub === 'exec' && (phase === 'Succeeded' || phase === 'Failed')) {
    throw errors.badRequest(`cannot exec into a container in a completed pod; current phase is ${String(phase)}`);
  }
  const addr = kubeletAddress(store, pod);
  const waiting = waitingReason(pod, container);
  if (waiting) throw errors.badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
  const out = new URLSearchParams();
  for (const [k, v] of q) if (k !== 'container' && (sub === 'exec' || logParams.includes(k))) out.append(k, v);
  const qs = out.toString();
  const base = sub === 'log' ? 'containerLogs' : 'exec';
  return {
    ...addr,
    path: `/${base}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}${qs ? '?' + qs : ''}`,
  };
}

/**
 * Request headers that carry the caller's identity. The API server has already authenticated and
 * authorized the caller; towards the kubelet it presents its own credential (kube-apiserver's
 * --kubelet-client-certificate), since a service account's token means nothing to a kubelet.
 */
const callerIdentityHeader = /^(authorization|impersonate-.*)$/i;

/** pods/log: streams the kubelet's response (status, headers, body) back to the client. */
export function proxyLog(res: ServerResponse, target: { host: string; port: number; path: string }, kubeletToken: string): Promise<void> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { authorization: `Bearer ${kubeletToken}` };
    const up = request({ host: target.host, port: target.port, path: target.path, method: 'GET', headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, {
        'Content-Type': String(ur.headers['content-type'] ?? 'text/plain'),
        'Transfer-Encoding': 'chunked',
      });
      ur.pipe(res);
      ur.on('end', resolve);
      ur.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    up.on('error', (e) => {
      const err = new ApiError(502, 'InternalError', `error trying to reach service: ${e.message}`).toStatus();
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(err));
      resolve();
    });
    res.on('close', () => up.destroy());
    up.end();
  });
}

/**
 * pods/exec upgrade (WebSocket or SPDY): replays the client's request line and headers (its
 * credentials swapped for the API server's) to the kubelet on a raw TCP connection and pipes both
 * sockets, so any streaming protocol passes through.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  target: { host: string; port: number; path: string },
  kubeletToken: string,
): void {
  const up = connect(target.port, target.host, () => {
    const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`, `Authorization: Bearer ${kubeletToken}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const k = req.rawHeaders[i]!,
        v = req.rawHeaders[i + 1]!;
      if (callerIdentityHeader.test(k)) continue;
      lines.push(k.toLowerCase() === 'host' ? `Host: ${target.host}:${target.port}` : `${k}: ${v}`);
    }
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  const close = (): void => {
    up.destroy();
    client.destroy();
  };
  up.on('error', () => {
    if (client.writable && up.bytesRead === 0)
      writeRawError(client, new ApiError(502, 'InternalError', 'error trying to reach the kubelet'));
    close();
  });
  client.on('error', close);
  client.on('close', () => up.destroy());
  up.on('close', () => client.end());
}

/** An HTTP error response on a raw (not yet upgraded) socket. */
export function writeRawError(socket: Socket, e: ApiError): void {
  const body = JSON.stringify(e.toStatus());
  socket.end(
    `HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
