/**
 * Long-lived connections through an upgrade, on kubesim, two ways in one run with the same probe:
 *   - baton rolling with drain by evidence (old pods held out of the Deployment controller and
 *     taken away when demo_open_streams reads 0, or at the deadline)
 *   - a naive `kubectl set image` + `kubectl rollout status` (the same manifests: maxUnavailable 0,
 *     maxSurge 1, preStop 2 s), where each old pod gets SIGTERM and its grace period
 * demo-app v1 -> v2, 2 replicas, grace period GRACE (default 30 s), downloads of STREAM seconds
 * (default 120) started just before the upgrade, plus SSE and WebSocket clients that resume.
 * Run: npm run bench -- streams-bench   (BATON_BENCH_STREAM_SECONDS / BATON_BENCH_GRACE_SECONDS to change)
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { KubeObject } from '../kube/kube-object.js';
import { startProbe } from '../probe/probe.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { waitUntilServed } from '../probe/wait-until-served.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';

const STREAM = Number(process.env.BATON_BENCH_STREAM_SECONDS ?? 120);
const GRACE = Number(process.env.BATON_BENCH_GRACE_SECONDS ?? 30);
const probeSpec = {
  rps: 50,
  streams: { count: 2, path: `/stream?seconds=${STREAM}&kbps=16` },
  sse: { count: 2, path: '/events' },
  websockets: { count: 2, path: '/ws' },
};

function manifests(image: string): KubeObject[] {
  const objects = demoManifests({ image, replicas: 2 });
  for (const o of objects) {
    if (o.kind === 'ConfigMap')
      (o as KubeObject & { data: Record<string, string> }).data = { DRAIN_TIMEOUT_MS: String((GRACE - 3) * 1000) };
    if (o.kind === 'Deployment')
      (o.spec as { template: { spec: Record<string, unknown> } }).template.spec.terminationGracePeriodSeconds = GRACE;
  }
  return objects;
}

async function fresh(t: TestCluster): Promise<string> {
  await t.kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' });
  await t.kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'baton-releases-demo', namespace: 'default' });
  await t.kube.watchUntil({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, (pods) => (pods.size === 0 ? true : undefined), {
    timeoutMs: 300_000,
  });
  await applyAndWait(t.kube, manifests('demo/app:v1'));
  const svc = await t.kube.get<KubeObject & { spec: { clusterIP: string } }>({
    apiVersion: 'v1',
    kind: 'Service',
    name: 'demo',
    namespace: 'default',
  });
  const url = `http://${svc!.spec.clusterIP}:8080`;
  await waitUntilServed(`${url}/ready`);
  return url;
}

function kubectl(kubeconfig: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(127));
  });
}

interface Row {
  name: string;
  record: ProbeRecord;
  seconds: number;
}

const t = await startTestCluster({ propagationDelayMs: 1000 });
const rows: Row[] = [];
try {
  await fresh(t);
  const spec = await writeSpec(t.dir, 'baton', manifests('demo/app:v1'), {
    image: { ref: 'demo/app:v2' },
    probe: probeSpec,
    drain: {
      deadlineSeconds: STREAM + 60,
      settleSeconds: 3,
      maxStreamSeconds: STREAM,
      connections: { port: 'http', metric: 'demo_open_streams' },
      nudge: { path: '/admin/drain' },
    },
  });
  const prepared = await prepareFile(spec, t.kube);
  let started = Date.now();
  const result = await runPrepared({
    kube: t.kube,
    prepared,
    stateDir: join(t.dir, 'state'),
    tailMs: 2000,
    engine: { journal: new FileJournal({ dir: join(t.dir, 'state') }), lock: new MemoryLock(), registry: stepRegistry(t.kube) },
  });
  if (result.probe)
    rows.push({
      name: `baton rolling, drain by evidence (${result.outcome.status})`,
      record: result.probe,
      seconds: (Date.now() - started) / 1000,
    });

  const url = await fresh(t);
  const kubeconfig = join(t.dir, 'kubeconfig.yaml');
  await writeFile(kubeconfig, t.cluster.kubeconfig, { mode: 0o600 });
  const probe = await startProbe({ url, ...probeSpec });
  await new Promise((r) => setTimeout(r, 1000));
  started = Date.now();
  const set = await kubectl(kubeconfig, ['set', 'image', 'deployment/demo', 'app=demo/app:v2']);
  const status = await kubectl(kubeconfig, ['rollout', 'status', 'deployment/demo', '--timeout=300s']);
  // Keep measuring until the old pods' grace periods are over: that is when their streams end.
  await new Promise((r) => setTimeout(r, (GRACE + 5) * 1000));
  rows.push({
    name: `kubectl set image (exit ${set}, rollout status exit ${status})`,
    record: await probe.stop(),
    seconds: (Date.now() - started) / 1000,
  });
} finally {
  await t.stop();
}

console.log(
  `\ndemo-app v1 -> v2 (2 replicas, grace ${GRACE} s, preStop 2 s) on kubesim, ${STREAM} s downloads x2 started before the upgrade, 2 SSE + 2 WebSocket clients that resume, 50 req/s; one run each, same probe.\n`,
);
console.log(
  '| upgrade | downloads completed / cut | SSE resumed / cut / lost | WebSocket resumed / cut / lost | reconnect gap max | failed requests | time (s) |',
);
console.log('|---|---|---|---|---|---|---|');
for (const { name, record: r, seconds } of rows) {
  const c = (x: ProbeRecord['sse']): string => (x ? `${x.resumed} / ${x.cut} / ${x.messagesLost}` : '—');
  const gap = Math.max(0, ...[r.sse, r.websockets].map((x) => x?.resumeGapMs?.maxMs ?? 0));
  console.log(
    `| ${name} | ${r.streams?.completed ?? 0} / ${r.streams?.cut ?? 0} | ${c(r.sse)} | ${c(r.websockets)} | ${gap} ms | ${r.requests.failed} / ${r.requests.total} | ${seconds.toFixed(1)} |`,
  );
}
