/**
 * Upgrade benchmark on kubesim: the same app (demo-app, 3 replicas, 200 req/s of probe traffic,
 * long downloads) upgraded v1 -> v2 four ways, measured by the same probe in the same run:
 *   - baton rolling (maxUnavailable 0 / maxSurge 1, preStop covering endpoint propagation)
 *   - baton blue-green (preview, switch, old colour drained)
 *   - kubectl-style default: `kubectl set image` with the Kubernetes defaults (25% / 25%) and no
 *     preStop sleep — what most Deployments get
 *   - recreate: strategy Recreate (every pod stops before the new ones start)
 * and prints failed requests, streams cut, downtime, time to finish, baton's own overhead (run
 * time minus time spent waiting on pods and gates) and the blue-green switch time.
 * Run: npm run bench -- upgrade-bench
 */
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { startProbe } from '../probe/probe.js';
import { waitUntilServed } from '../probe/wait-until-served.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { waitForRollout } from '../strategies/steps/rollout-watch.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';

const rps = 200;
const streams = { count: 3, path: '/stream?seconds=4&kbps=32' };
const waitingKinds = new Set(['rollout', 'scale', 'gate', 'await-old-pods']);

interface Row {
  name: string;
  failed: number;
  total: number;
  cut: number;
  streams: number;
  downtimeMs: number;
  seconds: number;
  note: string;
}

async function fresh(t: TestCluster, preStop: boolean, strategy?: Record<string, unknown>): Promise<void> {
  for (const name of ['demo', 'demo-blue', 'demo-green'])
    await t.kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' });
  // A blue-green run leaves the Service selecting a colour (a field baton set by patch, which a
  // later apply does not remove, as on a real API server): start each scenario from scratch.
  for (const name of ['demo', 'demo-preview']) await t.kube.delete({ apiVersion: 'v1', kind: 'Service', name, namespace: 'default' });
  await t.kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'baton-releases-demo', namespace: 'default' });
  await t.kube.watchUntil({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, (pods) => (pods.size === 0 ? true : undefined), {
    timeoutMs: 120_000,
  });
  const manifests = demoManifests({ image: 'demo/app:v1', replicas: 3, preStopSeconds: preStop ? 2 : null });
  if (strategy) (manifests[2]!.spec as Record<string, unknown>).strategy = strategy;
  await applyAndWait(t.kube, manifests);
  await waitUntilServed(`${await serviceUrl(t)}/ready`);
}

async function serviceUrl(t: TestCluster): Promise<string> {
  const svc = await t.kube.get<KubeObject & { spec: { clusterIP: string } }>({
    apiVersion: 'v1',
    kind: 'Service',
    name: 'demo',
    namespace: 'default',
  });
  return `http://${svc!.spec.clusterIP}:8080`;
}

function row(name: string, record: ProbeRecord, seconds: number, note: string): Row {
  return {
    name,
    failed: record.requests.failed,
    total: record.requests.total,
    cut: record.streams?.cut ?? 0,
    streams: record.streams?.started ?? 0,
    downtimeMs: record.downtime.totalMs,
    seconds,
    note,
  };
}

async function batonRun(t: TestCluster, name: string, strategy: Record<string, unknown>): Promise<Row> {
  await fresh(t, true);
  const spec = await writeSpec(t.dir, name, demoManifests({ image: 'demo/app:v1', replicas: 3 }), {
    image: { ref: 'demo/app:v2' },
    strategy,
    probe: { rps, streams },
  });
  const prepared = await prepareFile(spec, t.kube);
  const journal = new FileJournal({ dir: join(t.dir, 'state') });
  const started = Date.now();
  const result = await runPrepared({
    kube: t.kube,
    prepared,
    stateDir: join(t.dir, 'state'),
    engine: { journal, lock: new MemoryLock(), registry: stepRegistry(t.kube) },
  });
  const seconds = (Date.now() - started) / 1000;
  const entries = await journal.read(result.outcome.runId);
  const run = { start: entries[0]!.at, end: entries.at(-1)!.at };
  let waiting = 0;
  let switchAt: number | undefined;
  for (const e of entries) {
    if (e.type !== 'step-finished') continue;
    const step = prepared.plan.steps.find((s) => s.id === e.stepId)!;
    const began = entries.find((x) => x.type === 'step-started' && x.stepId === e.stepId)!.at;
    if (waitingKinds.has(step.kind)) waiting += e.at - began;
    if (step.id === 'bluegreen:switch') switchAt = e.at;
  }
  let note = `baton overhead ${((run.end - run.start - waiting) / 1000).toFixed(2)} s of ${((run.end - run.start) / 1000).toFixed(2)} s run`;
  if (switchAt !== undefined && result.probe) {
    const after = result.probe.buckets.filter((b) => b.t + result.probe!.startedAt >= switchAt!);
    const firstNew = after.find((b) => (b.byVersion.v2 ?? 0) > 0);
    const lastOld = [...after].reverse().find((b) => (b.byVersion.v1 ?? 0) > 0);
    const at = (b: { t: number } | undefined) => (b ? `${((b.t + result.probe!.startedAt - switchAt!) / 1000).toFixed(2)} s` : 'n/a');
    note += `; switch: first v2 answer +${at(firstNew)}, last v1 answer (keep-alive clients) +${at(lastOld)}`;
  }
  return row(name, result.probe!, seconds, `${result.outcome.status}; ${note}`);
}

async function kubectlStyle(t: TestCluster, name: string, strategy: Record<string, unknown> | undefined, preStop: boolean): Promise<Row> {
  await fresh(t, preStop, strategy);
  const probe = await startProbe({ url: await serviceUrl(t), rps, streams });
  await new Promise((r) => setTimeout(r, 1000));
  const started = Date.now();
  const live = (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!;
  const patched = await t.kube.mergePatch<DeploymentLike>(
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' },
    { spec: { template: { spec: { containers: [{ ...live.spec.template.spec.containers[0], image: 'demo/app:v2' }] } } } },
  );
  const verdict = await waitForRollout(t.kube, patched, 'demo/app:v2', { timeoutMs: 180_000, signal: new AbortController().signal });
  const seconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  return row(name, await probe.stop(), seconds, `rollout ${verdict.kind}`);
}

const t = await startTestCluster({ propagationDelayMs: 1000 });
const rows: Row[] = [];
try {
  rows.push(await batonRun(t, 'baton rolling (0 / 1, preStop)', { kind: 'rolling' }));
  rows.push(await batonRun(t, 'baton blue-green', { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 2 } }));
  rows.push(await kubectlStyle(t, 'kubectl set image, defaults 25%/25%, no preStop', undefined, false));
  rows.push(await kubectlStyle(t, 'Recreate', { type: 'Recreate' }, false));
} finally {
  await t.stop();
}
console.log(
  `\nv1 -> v2 of demo-app (3 replicas) on kubesim, ${rps} req/s + ${streams.count} long downloads, endpoint propagation 1 s; one run each, same machine, same probe.\n`,
);
console.log('| upgrade | failed requests | streams cut | downtime (s) | time (s) | notes |');
console.log('|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.failed} / ${r.total} | ${r.cut} / ${r.streams} | ${(r.downtimeMs / 1000).toFixed(2)} | ${r.seconds.toFixed(1)} | ${r.note} |`,
  );
