import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { startCluster, type Cluster } from '@baton/kubesim';
import type { KubeClient } from '../kube/kube-client.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import { startKubesimProcess } from '../kube/kubesim-process.js';
import type { KubeObject } from '../kube/kube-object.js';
import { waitForRollout } from '../strategies/steps/rollout-watch.js';
import { waitUntilServed } from '../probe/wait-until-served.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

/** A kubesim cluster with demo-app's images, a work folder and a client: for end-to-end tests. */
export interface TestCluster {
  /** baton's tests reach the API through KubeClient (the kubeconfig), not kubesim's own fetch. */
  cluster: Omit<Cluster, 'fetch'>;
  kube: KubeClient;
  dir: string;
  stop(): Promise<void>;
}

export function demoAppDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@baton/demo-app/package.json'));
}

/**
 * BATON_E2E_KUBECONFIG names a real cluster's kubeconfig: the e2e suites then run there instead
 * of on kubesim (README, "The e2e suites on a real cluster"). Its nodes must have demo-app's
 * images under the names the tests use (docker.io/demo/app:v1, ...; see packages/demo-app/README.md).
 */
export const realClusterKubeconfig = process.env['BATON_E2E_KUBECONFIG'];

/** Test options that skip, with its reason named, a test needing something only kubesim has. */
export function kubesimOnly(reason: string): { skip?: string } {
  return realClusterKubeconfig ? { skip: `needs kubesim: ${reason}` } : {};
}

export async function startTestCluster(options: { propagationDelayMs?: number; kubernetesVersion?: string } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-e2e-'));
  if (realClusterKubeconfig) {
    // A real cluster: its own version and timing; nothing to start or stop but the work folder.
    const kubeconfig = await readFile(realClusterKubeconfig, 'utf8');
    const kube = new ClientNodeKubeClient({ kubeconfigText: kubeconfig });
    const cluster: Omit<Cluster, 'fetch'> = {
      apiUrl: kube.server,
      kubeconfig,
      ingressUrl: process.env['BATON_E2E_INGRESS_URL'] ?? '',
      stop: async () => undefined,
    };
    return {
      cluster,
      kube,
      dir,
      stop: async () => {
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const images = join(demoAppDir(), 'images.yaml');
  const propagationDelayMs = options.propagationDelayMs ?? 500;
  // kubesim runs as its own process, as a cluster does: a probe sharing the test's event loop with
  // the whole cluster times out every request in flight when that loop stalls on a loaded machine
  // (seen in CI: 1,994 "failed" requests at once). BATON_E2E_KUBESIM=in-process keeps it here.
  const cluster: Omit<Cluster, 'fetch'> =
    process.env['BATON_E2E_KUBESIM'] === 'in-process'
      ? await startCluster({
          images,
          propagationDelayMs,
          ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
        })
      : await startKubesimProcess({
          images,
          kubeconfigPath: join(dir, 'kubeconfig'),
          propagationDelayMs,
          ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
        });
  const kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
  return {
    cluster,
    kube,
    dir,
    stop: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** demo-app manifests as objects; `env` is added to the container (e.g. to make a version crash). */
export function demoManifests(o: {
  image: string;
  replicas?: number;
  env?: Record<string, string>;
  preStopSeconds?: number | null;
  preStopExec?: boolean;
}): KubeObject[] {
  const container: Record<string, unknown> = {
    name: 'app',
    image: o.image,
    ports: [{ name: 'http', containerPort: 8080 }],
    env: Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
    envFrom: [{ configMapRef: { name: 'demo-config' } }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 2 },
    livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5 },
  };
  // preStopExec: `exec sleep`, which every minor takes (the sleep action needs 1.30+). On a real
  // cluster it is the default: its minor is whatever it is, and the README's image has `sleep`.
  const preStopExec = o.preStopExec ?? realClusterKubeconfig !== undefined;
  if (o.preStopSeconds !== null) {
    container.lifecycle = {
      preStop: preStopExec
        ? { exec: { command: ['sleep', String(o.preStopSeconds ?? 2)] } }
        : { sleep: { seconds: o.preStopSeconds ?? 2 } },
    };
  }
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo-config' }, data: { DRAIN_TIMEOUT_MS: '10000' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo' },
      spec: { selector: { app: 'demo' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo', labels: { app: 'demo' } },
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: { app: 'demo' } },
        template: { metadata: { labels: { app: 'demo' } }, spec: { terminationGracePeriodSeconds: 15, containers: [container] } },
      },
    },
  ] as KubeObject[];
}

/**
 * Applies objects, waits for any Deployment among them to finish rolling out, then until each
 * Service among them answers through its ClusterIP (proxies learn endpoints a moment after pods
 * are ready, as kube-proxy does): tests then start from a clean baseline.
 */
export async function applyAndWait(kube: KubeClient, objects: KubeObject[]): Promise<void> {
  for (const object of objects) {
    const applied = await kube.apply<KubeObject>({ ...object, metadata: { ...object.metadata, namespace: 'default' } }, { force: true });
    if (object.kind === 'Deployment') {
      const image = (object.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image;
      const verdict = await waitForRollout(kube, applied as DeploymentLike, image, {
        timeoutMs: 60_000,
        signal: new AbortController().signal,
      });
      if (verdict.kind === 'failed') throw new Error(verdict.reason);
    }
  }
  for (const object of objects.filter((o) => o.kind === 'Service')) {
    const svc = await kube.get<KubeObject & { spec: { clusterIP: string; ports: Array<{ port: number }> } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: object.metadata.name,
      namespace: 'default',
    });
    if (!(await waitUntilServed(`http://${svc!.spec.clusterIP}:${svc!.spec.ports[0]!.port}/ready`)))
      throw new Error(`Service ${object.metadata.name} never answered`);
  }
}

/** Writes manifests + a baton.yaml into a fresh folder and returns the spec path. */
export async function writeSpec(dir: string, name: string, manifests: KubeObject[], spec: Record<string, unknown>): Promise<string> {
  const folder = join(dir, name);
  await mkdir(join(folder, 'k8s'), { recursive: true });
  await writeFile(join(folder, 'k8s', 'app.yaml'), manifests.map((m) => stringify(m)).join('---\n'));
  await writeFile(
    join(folder, 'baton.yaml'),
    stringify({ apiVersion: 'baton.dev/v1alpha1', kind: 'Upgrade', app: 'demo', namespace: 'default', manifests: ['k8s'], ...spec }),
  );
  return join(folder, 'baton.yaml');
}
