/**
 * Controller benchmark on kubesim: the same rolling upgrade of demo-app (2 replicas, no probe, so
 * only control-plane work is compared) run by the CLI (`baton upgrade`, a process with a file
 * journal) and by the controller (`baton controller`, a process reconciling a Release, one step
 * per reconcile, ConfigMap journal, status writes), alternating directions v1 <-> v2. Prints per
 * run: wall time, time in steps, overhead (wall minus steps), and for the controller the
 * reconcile-to-step latency (Release created -> first step, and each step's end -> next step's
 * start). Then the controller's memory (RSS, from /proc) idle and with 100 Releases waiting.
 * Run: npm run bench -- controller-bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JournalEntry } from '../engine/journal.js';
import { ConfigMapJournal } from '../kube/configmap-journal.js';
import { LeaseLock } from '../kube/lease-lock.js';
import { createRelease } from '../controller/release-client.js';
import { releaseCrd } from '../controller/release-crd.js';
import { releaseApiVersion, type Release } from '../controller/release.js';
import { runIdOf } from '../controller/reconciler.js';
import { loadSpec } from '../spec/load-spec.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec } from '../testing/demo-cluster.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');
const rounds = 3;

const t = await startTestCluster({ propagationDelayMs: 200 });
const kubeconfig = join(t.dir, 'kubeconfig');
await writeFile(kubeconfig, t.cluster.kubeconfig);
await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1', preStopSeconds: 1 }));
await t.kube.apply(releaseCrd(), { force: true });
await new Promise((r) => setTimeout(r, 500));

const controller = spawn(
  process.execPath,
  [bin, 'controller', '--kubeconfig', kubeconfig, '--lease-namespace', 'default', '--identity', 'bench'],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let controllerLog = '';
controller.stderr!.on('data', (c: Buffer) => {
  controllerLog += c.toString();
});
await until(() => controllerLog.includes('became leader'), 30_000);

const stepsTime = (entries: JournalEntry[]) => {
  let total = 0;
  const started = new Map<string, number>();
  for (const e of entries) {
    if (e.type === 'step-started') started.set(e.stepId, e.at);
    if ((e.type === 'step-finished' || e.type === 'step-error') && started.has(e.stepId)) total += e.at - started.get(e.stepId)!;
  }
  return total;
};
const gaps = (entries: JournalEntry[]) => {
  const out: number[] = [];
  let lastEnd: number | undefined;
  for (const e of entries) {
    if (e.type === 'step-started' && lastEnd !== undefined) out.push(e.at - lastEnd);
    if (e.type === 'step-finished') lastEnd = e.at;
  }
  return out;
};
/** Of each gap, the part before the next reconcile's engine wrote `run-resumed` (status write, requeue, reads). */
const beforeResume = (entries: JournalEntry[]) => {
  const out: number[] = [];
  let lastEnd: number | undefined;
  for (const e of entries) {
    if (e.type === 'run-resumed' && lastEnd !== undefined) {
      out.push(e.at - lastEnd);
      lastEnd = undefined;
    }
    if (e.type === 'step-finished') lastEnd = e.at;
  }
  return out;
};
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

console.log(
  'run                 wall s   in steps s   overhead s   first step after create ms   between steps ms (median / max)   of which to run-resumed ms (median)',
);
let version = 1;
for (let round = 0; round < rounds; round++) {
  for (const mode of ['cli', 'controller'] as const) {
    version = version === 1 ? 2 : 1;
    const spec = await writeSpec(t.dir, `${mode}-${round}`, demoManifests({ image: 'demo/app:v1', preStopSeconds: 1 }), {
      image: { ref: `demo/app:v${version}` },
      probe: { enabled: false },
    });
    const began = Date.now();
    let entries: JournalEntry[];
    let firstStep = NaN;
    if (mode === 'cli') {
      const state = join(dirname(spec), 'state');
      await exit(
        spawn(process.execPath, [bin, 'upgrade', '--spec', spec, '--kubeconfig', kubeconfig, '--state-dir', state, '--no-probe'], {
          stdio: 'ignore',
        }),
      );
      const file = (await readdir(join(state, 'runs')))[0]!;
      entries = (await readFile(join(state, 'runs', file), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as JournalEntry);
    } else {
      const created = await createRelease(t.kube, await loadSpec(spec), { name: `bench-${round}` });
      const createdAt = Date.parse(created.metadata.creationTimestamp ?? new Date(began).toISOString());
      await until(
        async () => ['Succeeded', 'RolledBack', 'Halted'].includes((await release(`bench-${round}`))?.status?.phase ?? ''),
        120_000,
      );
      entries = await new ConfigMapJournal(t.kube, 'default').read(runIdOf((await release(`bench-${round}`))!));
      const first = entries.find((e) => e.type === 'step-started');
      firstStep = first ? first.at - Math.max(createdAt, began) : NaN;
    }
    const wall = Date.now() - began;
    // A run that did not go straight through is not comparable: say why beside its figures.
    for (const e of entries)
      if (e.type === 'step-error' || (e.type === 'step-finished' && e.result.kind !== 'done'))
        console.log(`  (${mode} run ${round}: ${e.stepId} ${JSON.stringify(e.type === 'step-error' ? e.error : e.result)})`);
    const inSteps = stepsTime(entries);
    const between = gaps(entries).sort((a, b) => a - b);
    const median = between[Math.floor(between.length / 2)] ?? NaN;
    console.log(
      `${`${mode} v${version === 1 ? 2 : 1}->v${version}`.padEnd(20)}${(wall / 1000).toFixed(2).padStart(6)}   ${(inSteps / 1000).toFixed(2).padStart(10)}   ${((wall - inSteps) / 1000).toFixed(2).padStart(10)}   ${(Number.isNaN(firstStep) ? '-' : firstStep.toFixed(0)).padStart(26)}   ${`${median.toFixed(0)} / ${(between.at(-1) ?? NaN).toFixed(0)}`.padStart(16)}   ${(mode === 'cli' ? '-' : medianOf(beforeResume(entries)).toFixed(0)).padStart(34)}`,
    );
  }
}

// Memory: idle, then with 100 Releases of one app waiting on its Lease (held here), reconciled every 2 s.
const rss = async () => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${controller.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
await new Promise((r) => setTimeout(r, 3000));
const idle = await rss();
const handle = await new LeaseLock(t.kube).acquire({ app: 'demo', namespace: 'default' }, 'bench holds the app');
const spec = await writeSpec(t.dir, 'many', demoManifests({ image: 'demo/app:v1' }), {
  image: { ref: 'demo/app:v2' },
  probe: { enabled: false },
});
const loaded = await loadSpec(spec);
for (let i = 0; i < 100; i++) await createRelease(t.kube, loaded, { name: `many-${String(i).padStart(3, '0')}` });
await until(
  async () =>
    (await t.kube.list<Release>({ apiVersion: releaseApiVersion, kind: 'Release', namespace: 'default' })).items.filter(
      (r) => r.status?.phase === 'Waiting',
    ).length >= 100,
  120_000,
);
await new Promise((r) => setTimeout(r, 10_000));
const loadedRss = await rss();
console.log(
  `\ncontroller RSS: idle ${idle.toFixed(1)} MiB; with 100 Releases waiting (reconciled every 2 s) ${loadedRss.toFixed(1)} MiB (+${(loadedRss - idle).toFixed(1)} MiB)`,
);
await handle.release();
controller.kill('SIGTERM');
await exit(controller);
await t.stop();

function release(name: string): Promise<Release | undefined> {
  return t.kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name, namespace: 'default' });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exit(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}
