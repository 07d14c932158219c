import type { KubeClient } from './kube-client.js';

/**
 * Reads one key of a Secret through the API server: how `database.url: {secret: {name, key}}` is
 * resolved, at plan time (to read the migrations ledger) as at run time. The value is returned,
 * never logged; errors name the Secret and key only.
 */
export function kubeSecretResolver(kube: KubeClient): (ref: { namespace: string; name: string; key: string }) => Promise<string> {
  return async (ref) => {
    const secret = await kube.get<{ apiVersion: string; kind: string; metadata: { name: string }; data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      name: ref.name,
      namespace: ref.namespace,
    });
    if (!secret) throw new Error(`Secret ${ref.namespace}/${ref.name} does not exist`);
    const value = secret.data?.[ref.key];
    if (value === undefined) throw new Error(`Secret ${ref.namespace}/${ref.name} has no key ${ref.key}`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
}
