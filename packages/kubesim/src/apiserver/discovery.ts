import type { ResourceDescriptor } from './resource-descriptor.js';
import type { ResourceRegistry } from './resource-registry.js';
import type { KubernetesVersion } from '../kubernetes-version.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Go release each Kubernetes minor was built with (what a real /version says in goVersion). */
const goVersions: Record<number, string> = {
  26: 'go1.21.9',
  27: 'go1.21.13',
  28: 'go1.22.5',
  29: 'go1.22.8',
  30: 'go1.22.12',
  31: 'go1.23.6',
  32: 'go1.23.6',
};

/** The server version kubectl and clients see (GET /version), for the minor kubesim serves. */
export function versionInfo(v: KubernetesVersion): Record<string, string> {
  return {
    major: String(v.major),
    minor: String(v.minor),
    gitVersion: v.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: goVersions[v.minor] ?? 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function subresourceEntries(d: ResourceDescriptor): Record<string, unknown>[] {
  const base = { singularName: '', namespaced: d.namespaced };
  return d.subresources.map((s) => {
    const name = `${d.resource}/${s}`;
    switch (s) {
      case 'status':
        return { name, ...base, kind: d.kind, verbs: ['get', 'patch', 'update'] };
      case 'scale':
        return { name, ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
      case 'log':
        return { name, ...base, kind: 'Pod', verbs: ['get'] };
      case 'exec':
        return { name, ...base, kind: 'PodExecOptions', verbs: ['create', 'get'] };
      case 'binding':
        return { name, ...base, kind: 'Binding', verbs: ['create'] };
      case 'eviction':
        return { name, ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
      case 'finalize':
        return { name, ...base, kind: d.kind, verbs: ['update'] };
    }
    return { name, ...base, kind: d.kind, verbs: [] };
  });
}

/** APIResourceList for one group/version (GET /api/v1, /apis/G/V). */
export function resourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const ds = registry.all().filter((d) => d.group === group && d.version === version);
  if (ds.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const d of ds) {
    resources.push({
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.createOnly ? ['create'] : allVerbs,
      ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories?.length ? { categories: d.categories } : {}),
    });
    resources.push(...subresourceEntries(d));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

/** Answers the non-resource discovery paths; undefined means 404. */
export function discovery(registry: ResourceRegistry, path: string, serverAddress: string, version: KubernetesVersion): unknown {
  if (path === '/version' || path === '/version/') return versionInfo(version);
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }
  if (path === '/apis') {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => groupEntry(g.group, g.versions)) };
  }
  const m = path.match(/^\/apis\/([^/]+)$/);
  if (m) {
    const g = registry.groups().find((x) => x.group === m[1]);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.group, g.versions) } : undefined;
  }
  if (path === '/api/v1') return resourceList(registry, '', 'v1');
  const gv = path.match(/^\/apis\/([^/]+)\/([^/]+)$/);
  if (gv) return resourceList(registry, gv[1]!, gv[2]!);
  return undefined;
}
