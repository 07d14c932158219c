import type { EnvSources } from './container-env.js';
import type { KubeClient } from './kube-client.js';
import type { ServiceLinkSource } from './service-env.js';

/** ConfigMaps, Secrets (decoded) and Services for container environments, read from the API server. */
export function apiEnvSources(client: KubeClient): EnvSources {
  const get = async (kind: 'configmaps' | 'secrets', ns: string, name: string): Promise<Record<string, string> | undefined> => {
    const r = await client.request<{ data?: Record<string, string>; stringData?: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${ns}/${kind}/${encodeURIComponent(name)}`,
    );
    if (r.status === 404) return undefined;
    if (r.status >= 300 || !r.body) throw new Error(`reading ${kind} ${ns}/${name}: HTTP ${r.status}`);
    const data = r.body.data ?? {};
    if (kind === 'configmaps') return data;
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
  };
  type Svc = {
    metadata: { name: string; namespace?: string };
    spec?: { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
  };
  const services = async (ns: string): Promise<ServiceLinkSource[]> => {
    const list = async (path: string): Promise<Svc[]> => {
      const r = await client.request<{ items?: Svc[] }>('GET', path);
      if (r.status >= 300) throw new Error(`listing services: HTTP ${r.status}`);
      return r.body?.items ?? [];
    };
    const own = await list(`/api/v1/namespaces/${ns}/services`);
    // The API server's own Service (KUBERNETES_SERVICE_HOST...) is visible from every namespace.
    let api: Svc[] = [];
    if (ns !== 'default') {
      const r = await client.request<Svc>('GET', '/api/v1/namespaces/default/services/kubernetes');
      if (r.status === 200 && r.body) api = [r.body];
    }
    return [...own, ...api].map((s) => ({ name: s.metadata.name, clusterIP: s.spec?.clusterIP, ports: s.spec?.ports ?? [] }));
  };
  return { configMap: (ns, n) => get('configmaps', ns, n), secret: (ns, n) => get('secrets', ns, n), services };
}
