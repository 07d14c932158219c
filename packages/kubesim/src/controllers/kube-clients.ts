import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubeConfig,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';

/** The typed API clients the controllers use, all built from one kubeconfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  discovery: DiscoveryV1Api;
  policy: PolicyV1Api;
}

/** Clients from kubeconfig text; plain-http servers are accepted (see below). */
export function makeClients(kubeconfigYaml: string): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  // client-node refuses plain http unless skipTLSVerify is set, although there is no TLS to
  // verify; kubectl has no such rule. Loopback API servers (kubesim) speak plain http.
  if (kc.clusters.some((c) => c.server.startsWith('http:') && !c.skipTLSVerify)) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c)),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  }
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
  };
}

/** The HTTP status of a failed API call (client-node's ApiException carries it as `code`). */
export function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown; statusCode?: unknown } | null)?.code ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Status predicates for the outcomes controllers expect: gone (404) and stale write (409). */
export const isNotFound = (err: unknown): boolean => apiStatus(err) === 404;
export const isConflict = (err: unknown): boolean => apiStatus(err) === 409;

/** A one-line description of a failed API call, for logs (ApiException messages span lines). */
export function describeError(err: unknown): string {
  const status = apiStatus(err);
  const body = (err as { body?: unknown } | null)?.body;
  if (status !== undefined) {
    let msg = '';
    try {
      msg = (JSON.parse(String(body)) as { message?: string }).message ?? '';
    } catch {
      msg = String(body ?? '');
    }
    return `HTTP ${status}: ${msg}`;
  }
  return String((err as Error)?.message ?? err);
}

/** Request options that send a body as a JSON merge patch (client-node 1.x needs the header set). */
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
