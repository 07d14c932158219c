// A pod's program that uses the in-cluster configuration exactly as an operator does:
// loadFromCluster() reads KUBERNETES_SERVICE_HOST/PORT and the projected token and CA, then it
// lists the pods of its own namespace. Prints the names (exit 0) or the server's Status (exit 1).
import { readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

const kc = new KubeConfig();
kc.loadFromCluster();
const namespace = readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8');
try {
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
  console.log(`pods: ${pods.items.map((p) => p.metadata?.name).join(',')}`);
} catch (e) {
  const body = (e as { body?: unknown }).body;
  console.log(`error ${(e as { code?: number }).code}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  process.exit(1);
}
