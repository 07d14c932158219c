import { stringify } from 'yaml';

/** A kubeconfig (TLS trusted through the embedded CA when given) with one cluster, one bearer-token user and the context "kubesim" (namespace default). */
export function renderKubeconfig(url: string, token: string, caPem?: string): string {
  const cluster: Record<string, string> = { server: url };
  if (caPem) cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubesim', cluster }],
    users: [{ name: 'kubesim', user: { token } }],
    contexts: [{ name: 'kubesim', context: { cluster: 'kubesim', user: 'kubesim', namespace: 'default' } }],
    'current-context': 'kubesim',
    preferences: {},
  });
}
