/**
 * Canary benchmark on kubesim: demo-app v1 (4 replicas, 200 req/s through the ingress) takes a
 * canary of demo/app:v2-bad (5% of GET / fail) through weights 10, 30, 50, then a probe analysis
 * that fails and rolls back. Once per router, and prints:
 *   - per-step overhead: how long each set-weight step took (a route write; replica-ratio waits
 *     for pods)
 *   - control plane: gate failed -> the one undo that puts all traffic on stable has finished
 *   - data plane: gate failed -> last answer from the canary seen by the probe (250 ms buckets,
 *     so up to one bucket late; includes the proxies' propagation delay, 500 ms here)
 * Run: npm run bench -- canary-bench
 */
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { createRouter } from '../traffic/index.js';
import type { RouterConfig } from '../traffic/traffic-router.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';

const rps = 200;
const propagationDelayMs = 500;
const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo' },
  spec: {
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 8080 } } } }] } }],
  },
};
const gateway: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw' },
  spec: { gatewayClassName: 'kubesim', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
};
const routeObjects = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'demo' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'demo-canary' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', name: 'demo' },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'demo' },
];

interface Row {
  router: string;
  status: string;
  steps: number[];
  controlMs: number;
  dataMs: number | null;
  failed: number;
  total: number;
}

async function scenario(t: TestCluster, router: string, traffic: Record<string, unknown>, extra: KubeObject[]): Promise<Row> {
  // Only one router's objects at a time: a catch-all Ingress would win over an HTTPRoute.
  for (const ref of routeObjects) await t.kube.delete({ ...ref, namespace: 'default' });
  const manifests = [...demoManifests({ image: 'demo/app:v1', replicas: 4 }), ...extra];
  await applyAndWait(t.kube, manifests);
  if (router === 'gateway-api' || router === 'istio') {
    // What a previous baton release leaves behind: its route, all traffic on stable.
    await createRouter(t.kube, {
      kind: router,
      namespace: 'default',
      stableService: 'demo',
      canaryService: 'demo-canary',
      port: 8080,
      canaryPodLabels: { 'baton.dev/track': 'canary' },
      ...traffic,
    } as RouterConfig).setWeight(0);
  }
  await new Promise((r) => setTimeout(r, propagationDelayMs * 2));
  const spec = await writeSpec(t.dir, router, manifests, {
    image: { ref: 'demo/app:v2-bad' },
    traffic: { router, ...traffic },
    probe: { url: t.cluster.ingressUrl, rps },
    strategy: {
      kind: 'canary',
      canary: { steps: [{ setWeight: 10 }, { setWeight: 30 }, { setWeight: 50 }, { analysis: { seconds: 30, maxErrorRate: 0 } }] },
    },
  });
  const prepared = await prepareFile(spec, t.kube);
  const journal = new FileJournal({ dir: join(t.dir, 'state') });
  const result = await runPrepared({
    kube: t.kube,
    prepared,
    stateDir: join(t.dir, 'state'),
    tailMs: 2000,
    engine: { journal, lock: new MemoryLock(), registry: stepRegistry(t.kube) },
  });
  const entries = await journal.read(result.outcome.runId);
  const at = (type: string, stepId: string) => entries.find((e) => e.type === type && 'stepId' in e && e.stepId === stepId)?.at;
  const steps = prepared.plan.steps
    .filter((s) => s.kind === 'set-weight' && !s.id.startsWith('promote'))
    .map((s) => (at('step-finished', s.id) ?? 0) - (at('step-started', s.id) ?? 0));
  const failedGate = entries.find((e) => e.type === 'step-finished' && e.result.kind === 'failed')!;
  const firstWeight = prepared.plan.steps.find((s) => s.kind === 'set-weight')!.id;
  const probe = result.probe!;
  const lastCanary = probe.buckets.filter((b) => probe.startedAt + b.t >= failedGate.at && (b.byVersion.v2 ?? 0) > 0).at(-1);
  return {
    router,
    status: result.outcome.status,
    steps,
    controlMs: (at('undo-finished', firstWeight) ?? Number.NaN) - failedGate.at,
    dataMs: lastCanary ? Math.round(probe.startedAt + lastCanary.t + probe.config.bucketMs - failedGate.at) : null,
    failed: probe.requests.failed,
    total: probe.requests.total,
  };
}

const t = await startTestCluster({ propagationDelayMs });
const rows: Row[] = [];
try {
  await t.kube.apply({ ...gateway, metadata: { ...gateway.metadata, namespace: 'default' } }, { force: true });
  rows.push(await scenario(t, 'nginx-ingress', { ingress: 'demo' }, [ingress]));
  rows.push(await scenario(t, 'gateway-api', { httpRoute: 'demo', gateway: 'gw' }, []));
  rows.push(await scenario(t, 'istio', { virtualService: 'demo' }, []));
  rows.push(await scenario(t, 'replica-ratio', {}, [ingress]));
} finally {
  await t.stop();
}
console.log(
  `\ndemo-app v1 (4 replicas) -> canary demo/app:v2-bad on kubesim, ${rps} req/s through the ingress, propagation ${propagationDelayMs} ms; weights 10/30/50 then a failing probe analysis.\n`,
);
console.log(
  '| router | outcome | set-weight steps (ms) | gate failed -> traffic on stable, control plane (ms) | ... last canary answer seen (ms) | failed requests |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.router} | ${r.status} | ${r.steps.join(' / ')} | ${r.controlMs} | ${r.dataMs ?? 'none after the failure'} | ${r.failed} / ${r.total} |`,
  );
