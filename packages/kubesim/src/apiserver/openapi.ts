import type { KubernetesVersion } from '../kubernetes-version.js';
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './resource-registry.js';

/**
 * A minimal OpenAPI v3 surface: enough for kubectl to learn that the server validates fields
 * itself (the fieldValidation parameter on each kind's PATCH), so it sends fieldValidation and
 * skips client-side schema validation. No component schemas are published, so `kubectl
 * explain` is unsupported and kubectl builds strategic merge patches from its built-in types.
 */
function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

export function openApiV3(registry: ResourceRegistry, path: string, version: KubernetesVersion): unknown {
  const builtIn = registry.all().filter((d) => !d.custom);
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const paths: Record<string, unknown> = {};
    for (const d of builtIn) {
      const p = gvPath(d.group, d.version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${createHash('sha256').update(p).digest('hex').slice(0, 32).toUpperCase()}` };
    }
    return { paths };
  }
  const m = path.match(/^\/openapi\/v3\/(api\/[^/]+|apis\/[^/]+\/[^/]+)$/);
  if (!m) return undefined;
  const ds = builtIn.filter((d) => gvPath(d.group, d.version) === m[1]);
  if (ds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const d of ds) {
    const prefix = `/${gvPath(d.group, d.version)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}/{name}`;
    paths[prefix] = {
      patch: {
        operationId: `patch${d.kind}`,
        parameters: params,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: version.gitVersion.replace(/-kubesim$/, '') },
    paths,
    components: { schemas: {} },
  };
}

function pbString(field: number, s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
}

/**
 * GET /openapi/v2 as the protobuf (gnostic openapi_v2.Document) kubectl asks for: a document with
 * no definitions. kubectl then skips client-side schema validation for kinds it cannot find,
 * exactly as it does for schemaless custom resources on a real server.
 */
export function openApiV2Protobuf(version: KubernetesVersion): Buffer {
  const info = Buffer.concat([pbString(1, 'Kubernetes'), pbString(2, version.gitVersion.replace(/-kubesim$/, ''))]);
  return Buffer.concat([pbString(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info]);
}
