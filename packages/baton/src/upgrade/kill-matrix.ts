import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { readLedger } from '../db/migrations/ledger.js';
import { migrate } from '../db/migrations/migrate.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { readHistory } from '../kube/release-history.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { RunRecord } from '../report/run-record.js';
import { demoAppDir, type TestCluster } from '../testing/demo-cluster.js';
import { waitForRollout } from '../strategies/steps/rollout-watch.js';

/**
 * The kill matrix (issue 15): for each strategy, an uninterrupted upgrade, then the same upgrade
 * SIGKILLed at a step boundary or inside a step and continued with `baton resume`, compared with
 * it: end state (images, Service selectors, Deployments present, release history once, migration
 * ledger), outcome, probe (no failed request outside the gap, the gap marked) and report. Each
 * case runs in a namespace and a PostgreSQL database of its own, from demo-app v1 to v2 with the
 * demo's migrations (expand, then a backfill; rainbow stops at the expand, as the demo does).
 * Shared by kill-matrix.e2e.test.ts (a fixed subset) and scripts/kill-matrix.mjs (every point).
 */

export const matrixStrategies = ['rolling', 'blue-green', 'canary', 'rainbow', 'maintenance'] as const;
export type MatrixStrategy = (typeof matrixStrategies)[number];

/** Where to kill: when the journal first shows `entry` for `stepId`, after `delayMs`. */
export interface KillPoint {
  stepId: string;
  entry: 'step-started' | 'step-finished';
  delayMs: number;
}

export const describePoint = (p: KillPoint): string =>
  p.entry === 'step-finished' ? `after ${p.stepId}` : `${p.delayMs} ms into ${p.stepId}`;

/** What a case left behind, compared field by field with the uninterrupted run. */
export interface EndState {
  status: string;
  deployments: Record<string, string>;
  selectors: Record<string, string>;
  /** Images of this run's release-history entries (each once). */
  history: string[];
  ledger: string[];
}

export interface CaseResult {
  strategy: MatrixStrategy;
  point: KillPoint | undefined;
  state: EndState;
  /** What differs from the uninterrupted run, or a promise broken (empty: the case passed). */
  problems: string[];
  /** Steps with their durations (ms), from the journal: where the runner puts mid-step kills. */
  steps: Array<{ id: string; ms: number }>;
  /** The uninterrupted case only: the step ids `baton plan -o json` printed before it ran. */
  planned?: string[];
}

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');
const manifestsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../demo/manifests');

/** One matrix: a cluster (made by the caller), the machine's PostgreSQL, a case counter. */
export class KillMatrix {
  private n = 0;
  private constructor(
    private readonly t: TestCluster,
    private readonly db: DbTarget,
  ) {}

  static async start(t: TestCluster): Promise<KillMatrix> {
    await writeFile(join(t.dir, 'kubeconfig'), t.cluster.kubeconfig);
    return new KillMatrix(t, await machineTarget('postgres'));
  }

  /** Runs one case: uninterrupted when `point` is undefined, else killed there and resumed. */
  async run(strategy: MatrixStrategy, point: KillPoint | undefined, baseline?: CaseResult): Promise<CaseResult> {
    const namespace = `km-${strategy}-${++this.n}`;
    const db = await scratchDatabase(this.db);
    const problems: string[] = [];
    try {
      const dir = await this.prepare(strategy, namespace, db);
      const env = { ...process.env, KM_DATABASE_URL: db.url };
      const args = ['--kubeconfig', join(this.t.dir, 'kubeconfig'), '--state-dir', join(dir, 'state')];
      const spec = join(dir, 'baton.yaml');
      let runId: string;
      let status: string;
      let planned: string[] | undefined;
      let killedAfterEnd = false;
      if (point === undefined) {
        const plan = await baton(['plan', '--spec', spec, '-o', 'json', ...args], env);
        planned = planStepIds(plan.out);
        const done = await baton(['upgrade', '--spec', spec, '-o', 'json', ...args], env);
        runId = await onlyRun(dir);
        status = outcomeStatus(done.out);
      } else {
        const killed = await baton(['upgrade', '--spec', spec, ...args], env, { dir, point });
        runId = await onlyRun(dir).catch(() => '');
        if (killed.signal !== 'SIGKILL') {
          problems.push(`baton was not killed at ${describePoint(point)} (exit ${killed.code}): ${killed.out.slice(-300)}`);
          status = runId ? outcomeStatus(killed.out) : 'not-started';
        } else if (finishedStatus(await journalText(dir)) !== undefined) {
          // The kill came after the run's last journal entry (before or during the probe's tail):
          // nothing to resume; `baton report` gives (and keeps) its report.
          status = finishedStatus(await journalText(dir)) ?? 'unknown';
          killedAfterEnd = true;
          const shown = await baton(['report', runId, ...args], env);
          if (shown.code !== 0) problems.push(`report of the ended run: exit ${shown.code}: ${shown.out.slice(-200)}`);
        } else {
          const shown = await baton(['status', runId, ...args], env);
          if (shown.code !== 3 || !shown.out.includes(`baton resume ${runId}`))
            problems.push(`status after the kill: exit ${shown.code}, not "interrupted ... baton resume": ${shown.out.slice(-200)}`);
          const interim = await baton(['report', runId, ...args], env);
          if (interim.code !== 0 || !/Interrupted: .*baton resume/.test(interim.out))
            problems.push(`report before resume: exit ${interim.code}, not labelled interrupted: ${interim.out.slice(0, 200)}`);
          const resumed = await baton(['resume', runId, '-o', 'json', ...args], env);
          status = outcomeStatus(resumed.out);
        }
      }
      const record = await readRecord(dir, runId);
      const state = { status, ...(await this.endState(namespace, db, runId)) };
      if (!record) problems.push('no report was saved for the run');
      else problems.push(...probeProblems(record, killedAfterEnd ? undefined : point, baseline));
      if (baseline) problems.push(...compare(baseline.state, state));
      return { strategy, point, state, problems, steps: record ? stepDurations(record) : [], ...(planned ? { planned } : {}) };
    } finally {
      await this.cleanUp(namespace).catch(() => undefined);
      await db.drop().catch(() => undefined);
    }
  }

  /** v1 live in its own namespace (schema 0001 applied), and a spec for v2 in a folder. */
  private async prepare(strategy: MatrixStrategy, namespace: string, db: ScratchDatabase): Promise<string> {
    const dir = join(this.t.dir, namespace);
    await mkdir(join(dir, 'k8s'), { recursive: true });
    await cp(join(demoAppDir(), 'migrations'), join(dir, 'migrations'), { recursive: true });
    await migrate({ url: db.url, dir: join(dir, 'migrations'), versions: [1], release: 'v1' });
    const kube = this.t.kube;
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { force: true });
    await kube.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'demo-db', namespace }, stringData: { url: db.url } } as KubeObject,
      { force: true },
    );
    for (const file of ['config.yaml', 'service.yaml', 'deployment.yaml']) {
      const text = (await readFile(join(manifestsDir, file), 'utf8'))
        .replace('replicas: 3', 'replicas: 2')
        .replace('[sleep, "3"]', '[sleep, "2"]');
      await writeFile(join(dir, 'k8s', file), text);
    }
    const { parseAllDocuments } = await import('yaml');
    for (const file of ['config.yaml', 'service.yaml', 'deployment.yaml']) {
      for (const doc of parseAllDocuments(await readFile(join(dir, 'k8s', file), 'utf8'))) {
        const object = doc.toJS() as KubeObject;
        const applied = await kube.apply<KubeObject>({ ...object, metadata: { ...object.metadata, namespace } }, { force: true });
        if (object.kind === 'Deployment') {
          const verdict = await waitForRollout(kube, applied as DeploymentLike, 'demo/app:v1', {
            timeoutMs: 90_000,
            signal: new AbortController().signal,
          });
          if (verdict.kind === 'failed') throw new Error(`v1 did not start in ${namespace}: ${verdict.reason}`);
        }
      }
    }
    await writeFile(join(dir, 'baton.yaml'), stringify(specFor(strategy, namespace)));
    return dir;
  }

  private async endState(namespace: string, db: ScratchDatabase, runId: string): Promise<Omit<EndState, 'status'>> {
    const kube = this.t.kube;
    const deployments: Record<string, string> = {};
    for (const d of (await kube.list<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace })).items)
      deployments[d.metadata.name] = `${d.spec.template.spec.containers[0]?.image ?? '?'} x${d.spec.replicas ?? 1}`;
    const selectors: Record<string, string> = {};
    for (const s of (
      await kube.list<KubeObject & { spec?: { selector?: Record<string, string> } }>({ apiVersion: 'v1', kind: 'Service', namespace })
    ).items)
      selectors[s.metadata.name] = JSON.stringify(s.spec?.selector ?? {});
    const history = (await readHistory(kube, namespace, 'demo')).filter((h) => h.runId === runId).map((h) => h.image);
    const session = await this.db.dialect.connect(db.url);
    try {
      const ledger = (await readLedger(this.db.dialect, session)).map((m) => `${m.version}:${m.phase}`);
      return { deployments, selectors, history, ledger };
    } finally {
      await session.close();
    }
  }

  /** Deletes the case's Deployments (their pods are processes on this machine). */
  private async cleanUp(namespace: string): Promise<void> {
    const kube = this.t.kube;
    for (const d of (await kube.list<KubeObject>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace })).items)
      await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, namespace });
  }
}

/** The spec of each strategy's case: light probe traffic, short analyses, the demo's database. */
function specFor(strategy: MatrixStrategy, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'baton.dev/v1alpha1',
    kind: 'Upgrade',
    app: 'demo',
    namespace,
    manifests: ['k8s'],
    image: { ref: 'demo/app:v2' },
    version: 'v2',
    strategy: {
      kind: strategy,
      rolling: { maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 60 },
      blueGreen: { scaleDownDelaySeconds: 2, progressDeadlineSeconds: 60 },
      canary: {
        steps: [{ setWeight: 50 }, { analysis: { seconds: 3, maxErrorRate: 0 } }],
        progressDeadlineSeconds: 60,
      },
      rainbow: { progressDeadlineSeconds: 60 },
      maintenance: { progressDeadlineSeconds: 60 },
    },
    traffic: { router: 'replica-ratio' },
    probe: { rps: 50, analysis: { seconds: 3, maxErrorRate: 0 } },
    verify: [{ name: 'ready', http: { path: '/ready', expectStatus: 200 } }],
    database: {
      dialect: 'postgres',
      url: { env: 'KM_DATABASE_URL' },
      // Rainbow keeps v1 running until `baton gc`: a backfill would wait for it (as in the demo).
      migrations: { dir: 'migrations', target: strategy === 'rainbow' ? '2' : '3' },
    },
  };
}

/** The promises about the probe: a record spanning the run, the gap marked, no failure outside it. */
function probeProblems(record: RunRecord, point: KillPoint | undefined, baseline: CaseResult | undefined): string[] {
  const p = record.probe;
  if (!p) return ['the report has no probe record'];
  const out: string[] = [];
  if (point && (p.gaps ?? []).length === 0) out.push('the probe record marks no gap for the time baton was killed');
  // Maintenance takes the app down by design: there the figure is compared with the uninterrupted run's, not with 0.
  const allowed = baseline && baseline.strategy === 'maintenance' ? Number.POSITIVE_INFINITY : 0;
  if (p.requests.failed > allowed) out.push(`${p.requests.failed} probe requests failed outside the gap`);
  return out;
}

function compare(a: EndState, b: EndState): string[] {
  const out: string[] = [];
  for (const key of ['status', 'deployments', 'selectors', 'history', 'ledger'] as const) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x !== y) out.push(`${key}: uninterrupted ${x}, resumed ${y}`);
  }
  return out;
}

function stepDurations(record: RunRecord): Array<{ id: string; ms: number }> {
  return record.steps.map((s) => ({ id: s.id, ms: s.finishedAt === undefined ? 0 : s.finishedAt - s.startedAt }));
}

/** The status of the journal's run-finished entry, undefined while the run has not ended. */
function finishedStatus(journal: string): string | undefined {
  return /"type":"run-finished"[^\n]*?"status":"([a-z-]+)"/.exec(journal)?.[1];
}

function planStepIds(out: string): string[] {
  try {
    const doc = JSON.parse(out.slice(out.indexOf('{'))) as { steps?: Array<{ id?: unknown }> };
    return (doc.steps ?? []).map((s) => String(s.id));
  } catch {
    return [];
  }
}

async function onlyRun(dir: string): Promise<string> {
  const files = await readdir(join(dir, 'state', 'runs'));
  const run = files.find((f) => f.endsWith('.jsonl'));
  if (run === undefined) throw new Error(`no run journal in ${dir}`);
  return run.replace(/\.jsonl$/, '');
}

async function readRecord(dir: string, runId: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'state', 'reports', `${runId}.json`), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

function outcomeStatus(out: string): string {
  try {
    const doc = JSON.parse(out.slice(out.indexOf('{'))) as { status?: unknown };
    return typeof doc.status === 'string' ? doc.status : 'unknown';
  } catch {
    return `unparsed: ${out.slice(-200)}`;
  }
}

async function journalText(dir: string): Promise<string> {
  try {
    const runs = join(dir, 'state', 'runs');
    const files = await readdir(runs);
    return (await Promise.all(files.filter((f) => f.endsWith('.jsonl')).map((f) => readFile(join(runs, f), 'utf8')))).join('');
  } catch {
    return '';
  }
}

/** Runs bin/baton.js (argv array); with `kill`, SIGKILLs it once the journal reaches the point. */
async function baton(
  args: string[],
  env: NodeJS.ProcessEnv,
  kill?: { dir: string; point: KillPoint },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  let timer: NodeJS.Timeout | undefined;
  if (kill) {
    const needle = `"type":"${kill.point.entry}","stepId":"${kill.point.stepId}"`;
    timer = setInterval(async () => {
      if ((await journalText(kill.dir)).includes(needle)) {
        clearInterval(timer);
        setTimeout(() => child.kill('SIGKILL'), kill.point.delayMs);
      }
    }, 20);
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
  clearInterval(timer);
  return { code, signal, out };
}
