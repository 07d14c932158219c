import http from 'node:http';
import type { EndpointSlice, Service } from '../kube-objects.js';

/** A random clusterIP-like address and port, so parallel test files do not collide. */
export function randomClusterAddress(): { ip: string; port: number } {
  const r = (n: number): number => Math.floor(Math.random() * n);
  return { ip: `127.96.${250 + r(5)}.${1 + r(250)}`, port: 20000 + r(30000) };
}

let backendCounter = Math.floor(Math.random() * 200);
/** A fresh pod-like loopback IP in 127.244.250.0/23 (outside what the kubelet hands out first). */
export function nextPodIp(): string {
  backendCounter = (backendCounter + 1) % 500;
  return `127.244.${250 + Math.floor(backendCounter / 250)}.${1 + (backendCounter % 250)}`;
}

export function makeService(o: {
  namespace?: string;
  name: string;
  clusterIP?: string;
  ports: Array<{ name?: string; port: number; targetPort?: number | string }>;
  selector?: Record<string, string> | undefined;
}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: o.namespace ?? 'default', name: o.name },
    spec: {
      clusterIP: o.clusterIP ?? 'None',
      ports: o.ports.map((p) => ({ protocol: 'TCP', ...p })),
      ...(o.selector ? { selector: o.selector } : {}),
    },
  };
}

export interface EndpointSpec {
  ip: string;
  pod?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export function makeSlice(o: {
  namespace?: string;
  service: string;
  name?: string;
  endpoints: EndpointSpec[];
  ports: Array<{ name?: string; port: number }>;
}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    addressType: 'IPv4',
    metadata: {
      namespace: o.namespace ?? 'default',
      name: o.name ?? `${o.service}-slice`,
      labels: { 'kubernetes.io/service-name': o.service },
    },
    endpoints: o.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.pod ? { targetRef: { kind: 'Pod', name: e.pod, namespace: o.namespace ?? 'default' } } : {}),
    })),
    ports: o.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: 'TCP' })),
  };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request; resolves with the answer or rejects with the transport error. */
export function httpGet(
  url: string,
  o: { headers?: Record<string, string>; agent?: http.Agent | false; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: o.headers, agent: o.agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
    });
    req.setTimeout(o.timeoutMs ?? 5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
  });
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
