import { request } from 'node:http';
import { request as requestTls } from 'node:https';

export type Reachability =
  | { kind: 'reachable'; status: number }
  | {
      kind: 'unreachable';
      reason: string;
      fixes: string[] /** The socket error (ECONNREFUSED, ETIMEDOUT...), when there was one. */;
      code?: string;
    };

export interface ReachabilityOptions {
  /** The probe's base URL (a ClusterIP URL when the spec gives none). */
  url: string;
  path?: string;
  timeoutMs?: number;
  /** For the API-server-proxy fix: the Service the URL stands for. */
  service?: { namespace: string; name: string; port: number };
  /** True when the URL was derived from a ClusterIP (not the user's probe.url). */
  fromClusterIp?: boolean;
}

/**
 * Preflight for the probe (and HTTP hooks): can this process reach the target at all? Any HTTP
 * answer counts as reachable (a 500 is the app's problem, which the probe must measure); only
 * a connection that cannot be made (timeout, refused, no route) is not. Called before any change,
 * so a CLI on a laptop that cannot reach a ClusterIP says so and offers the fixes, instead of
 * counting its own unreachability as the app's failed requests.
 */
export async function checkReachable(o: ReachabilityOptions): Promise<Reachability> {
  const target = new URL(o.path ?? '/', o.url);
  const send = target.protocol === 'https:' ? requestTls : request;
  return await new Promise<Reachability>((resolve) => {
    const req = send(target, { method: 'GET', agent: false, timeout: o.timeoutMs ?? 2000 }, (res) => {
      res.resume();
      resolve({ kind: 'reachable', status: res.statusCode ?? 0 });
    });
    const fail = (reason: string, code?: string) => resolve({ kind: 'unreachable', reason, fixes: fixesFor(o), ...(code ? { code } : {}) });
    req.on('timeout', () => {
      req.destroy();
      fail(`no connection to ${target.origin} within ${o.timeoutMs ?? 2000} ms`, 'ETIMEDOUT');
    });
    req.on('error', (error: NodeJS.ErrnoException) => fail(`${target.origin}: ${error.code ?? error.message}`, error.code));
    req.end();
  });
}

function fixesFor(o: ReachabilityOptions): string[] {
  const fixes = [
    'run the upgrade in the cluster, where ClusterIPs answer: baton upgrade --in-cluster (needs the controller: kubectl apply -k config/)',
  ];
  fixes.push('give probe.url in baton.yaml: an address of the app this machine can reach (its Ingress or load balancer)');
  if (o.service !== undefined) {
    const { namespace, name, port } = o.service;
    fixes.push(
      `reach it through the API server: run \`kubectl proxy --port 8001\` and set probe.url to http://127.0.0.1:8001/api/v1/namespaces/${namespace}/services/${name}:${port}/proxy (slower; counts the proxy's own errors too)`,
    );
  }
  if (o.fromClusterIp !== true) fixes.shift();
  return fixes;
}
