// Pod start benchmark: create -> Ready latency for 1, 10 and 50 pods created at once, against
// an in-process kubesim API server and kubelet, with the kubelet's test app (node process).
// Two shapes: no readiness probe (Ready once running) and an httpGet readiness probe with
// periodSeconds 1 (what most manifests use). Figures are printed, never asserted.
// Run: node packages/kubesim/dist/bench/pod-start-bench.js
import { startApi, appPod, TEST_APP, TEST_IMAGE } from '../node/testdata/cluster-harness.js';
import { startKubelet } from '../node/kubelet.js';
import { createKubeClient } from '../node/kube-client.js';
import type { Pod } from '../node/pod-types.js';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const api = await startApi();
  const kubelet = await startKubelet({
    kubeconfig: api.kubeconfig(),
    images: { [TEST_IMAGE]: { entrypoint: [process.execPath, TEST_APP] } },
  });
  const client = createKubeClient(api.kubeconfig());
  const readyAt = new Map<string, number>();
  const gone = new Set<string>();
  const watch = new AbortController();
  void client
    .watch(
      '/api/v1/namespaces/default/pods?watch=true',
      (type, o) => {
        const p = o as Pod;
        if (type === 'DELETED') gone.add(p.metadata.name);
        else if (!readyAt.has(p.metadata.name) && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
          readyAt.set(p.metadata.name, performance.now());
      },
      watch.signal,
    )
    .catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200));
  console.log('pod create -> Ready (ms), test app = one node process per pod');
  console.log('shape                 pods   p50    p90    max   all-ready');
  try {
    for (const probe of [false, true]) {
      for (const n of [1, 10, 50]) {
        const names = Array.from({ length: n }, (_, i) => `bench-${probe ? 'p' : 'n'}${n}-${i}`);
        const created = new Map<string, number>();
        const t0 = performance.now();
        await Promise.all(
          names.map(async (name) => {
            const pod = appPod(name, probe ? { readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 } } : {});
            created.set(name, performance.now());
            const r = await client.request('POST', '/api/v1/namespaces/default/pods', pod);
            if (r.status >= 300) throw new Error(`create ${name}: ${r.status} ${r.text}`);
          }),
        );
        const deadline = Date.now() + 120_000;
        while (names.some((x) => !readyAt.has(x)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const lat = names.filter((x) => readyAt.has(x)).map((x) => readyAt.get(x)! - created.get(x)!);
        const all = Math.max(...names.map((x) => readyAt.get(x) ?? NaN)) - t0;
        const f = (x: number): string => x.toFixed(0).padStart(6);
        console.log(
          `${(probe ? 'readiness probe 1s' : 'no readiness probe').padEnd(20)} ${String(n).padStart(5)} ${f(pct(lat, 50))} ${f(pct(lat, 90))} ${f(Math.max(...lat))} ${f(all)}${lat.length < n ? `  (${n - lat.length} never Ready)` : ''}`,
        );
        await Promise.all(
          names.map((name) => client.request('DELETE', `/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 })),
        );
        const end = Date.now() + 30_000;
        while (names.some((x) => !gone.has(x)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    watch.abort();
    client.close();
    await kubelet.stop();
    await api.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
