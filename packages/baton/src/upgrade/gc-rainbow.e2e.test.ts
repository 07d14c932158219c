import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, StringCodec, type NatsConnection } from 'nats';
import { runCli } from '../cli/main.js';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { EngineOptions } from '../engine/engine.js';
import { startPrometheus, type PrometheusProcess } from '../gates/prometheus-process.js';
import { queryPrometheus } from '../gates/prometheus-query.js';
import type { KubeObject } from '../kube/kube-object.js';
import { loadSpec } from '../spec/load-spec.js';
import { planRainbowRollback } from './rainbow-rollback.js';
import { readHistory } from '../kube/release-history.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { collectGarbage } from './gc.js';
import { prepareFile, runPrepared, testPorts } from '../testing/operations-harness.js';
import { rollback } from '../operations/index.js';
import { stepRegistry } from './step-registry.js';

const taskMs = 40_000;
const minAge = '15s';
const probe = { rps: 50, path: '/' };

/** The worker fleet as a user writes it: a plain Deployment behind a Service. */
function workerManifests(image: string): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'work' },
      spec: { selector: { app: 'work' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'work', labels: { app: 'work' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'work' } },
        template: {
          metadata: { labels: { app: 'work' } },
          spec: {
            terminationGracePeriodSeconds: 120,
            containers: [
              {
                name: 'worker',
                image,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
  ] as KubeObject[];
}

/**
 * A test that asks the release under test (its own Service) which version it is. Like real
 * integration tests it retries connection errors for a few seconds: a new Service's endpoints
 * reach kube-proxy after a propagation delay.
 */
const checkVersion = (v: string): string => `
  const ask = (left) => fetch(process.env.BATON_RELEASE_URL).then((r) => r.json()).then((b) => {
    console.log('release', process.env.BATON_RELEASE, 'answers', b.version); process.exit(b.version === '${v}' ? 0 : 1);
  }, (e) => { if (left > 0) setTimeout(() => ask(left - 1), 250); else { console.error(e.message); process.exit(2); } });
  ask(20);`;

describe('rainbow on kubesim: three releases while a long task runs, gc via a real Prometheus, instant rollback', {
  timeout: 300_000,
}, () => {
  let t: TestCluster;
  let prom: PrometheusProcess;
  let nats: NatsConnection;
  let targets: NodeJS.Timeout | undefined;
  const engine = (): EngineOptions => ({
    journal: new FileJournal({ dir: join(t.dir, 'state') }),
    lock: new MemoryLock(),
    registry: stepRegistry(t.kube),
  });
  const spec = (version: string, tests: Record<string, unknown>, image = `demo/worker:${version}`) =>
    writeSpec(t.dir, version, workerManifests('demo/worker:v1'), {
      app: 'work',
      version,
      image: { ref: image },
      probe,
      strategy: {
        kind: 'rainbow',
        rainbow: { tests, gc: { prometheusUrl: prom.url, activeTasksQuery: 'sum(demo_active_tasks{release="$release"})', minAge } },
      },
    });
  const deploy = async (version: string, tests: Record<string, unknown>, image?: string) => {
    const prepared = await prepareFile(await spec(version, tests, image), t.kube);
    return runPrepared({ kube: t.kube, prepared, stateDir: join(t.dir, 'state'), tailMs: 1000, engine: engine() });
  };
  const selector = async () =>
    (await t.kube.get<KubeObject & { spec: { selector: Record<string, string> } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'work',
      namespace: 'default',
    }))!.spec.selector;
  const exists = async (kind: string, name: string) =>
    (await t.kube.get({ apiVersion: kind === 'Service' ? 'v1' : 'apps/v1', kind, name, namespace: 'default' })) !== undefined;
  const activeTasks = async (release: string) => {
    const r = await queryPrometheus({ url: prom.url, query: `sum(demo_active_tasks{release="${release}"})` });
    return r.kind === 'ok' && r.samples.length > 0 ? r.samples[0]!.value : undefined;
  };
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  before(async () => {
    try {
      nats = await connect({ servers: '127.0.0.1:4222', timeout: 3000 });
    } catch (error) {
      throw new Error(`NATS is needed at 127.0.0.1:4222 (the worker's message bus): ${(error as Error).message}`);
    }
    prom = await startPrometheus();
    t = await startTestCluster();
    // Prometheus scrapes the worker pods: their pod IPs, refreshed as pods come and go (file_sd).
    let last = '';
    const refresh = async () => {
      const { items } = await t.kube.list<KubeObject & { status?: { podIP?: string; phase?: string } }>({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'default',
        labelSelector: 'app=work',
      });
      const list = items
        .filter((p) => p.status?.podIP && p.status.phase === 'Running')
        .map((p) => ({ target: `${p.status!.podIP}:8080`, labels: { pod: p.metadata.name } }));
      const key = JSON.stringify(list);
      if (key !== last) {
        last = key;
        await prom.setTargets(list);
      }
    };
    targets = setInterval(() => {
      refresh().catch(() => {});
    }, 500);
  });
  after(async () => {
    clearInterval(targets);
    await nats?.close();
    await t?.stop();
    await prom?.stop();
  });

  test('v1, a 40 s task on v1, then v2 (Job tests), v3 (command tests), v4 with a failing test Job: every release its own Deployment', async () => {
    const v1 = await deploy('v1', { command: [process.execPath, '-e', checkVersion('v1')] });
    assert.equal(v1.outcome.status, 'succeeded', v1.outcome.reason);
    assert.equal((await selector())['baton.dev/release'], 'v1');

    nats.publish('tasks.v1.image-build', StringCodec().encode(JSON.stringify({ ms: taskMs })));
    await nats.flush();
    await until('the v1 task to show in Prometheus', async () => (await activeTasks('v1')) === 1, 20_000);

    const v2 = await deploy('v2', {
      job: { template: { spec: { containers: [{ name: 'test', image: 'demo/worker:v2', command: ['node', '-e', checkVersion('v2')] }] } } },
    });
    assert.equal(v2.outcome.status, 'succeeded', v2.outcome.reason);
    assert.equal(v2.probe?.requests.failed, 0, JSON.stringify(v2.probe?.failures.kept.slice(0, 3)));
    const v3 = await deploy('v3', { command: [process.execPath, '-e', checkVersion('v3')] });
    assert.equal(v3.outcome.status, 'succeeded', v3.outcome.reason);
    assert.equal(v3.probe?.requests.failed, 0, JSON.stringify(v3.probe?.failures.kept.slice(0, 3)));
    assert.deepEqual(Object.keys(v3.probe!.buckets.filter((b) => b.requests > 0).at(-1)!.byVersion), ['v3']);

    // v4's integration tests (a Job) fail: never activated, removed again; the test's log is in the reason.
    const v4 = await deploy(
      'v4',
      {
        job: {
          template: { spec: { containers: [{ name: 'test', image: 'demo/worker:v3', command: ['node', '-e', checkVersion('v9')] }] } },
        },
      },
      'demo/worker:v3',
    );
    assert.equal(v4.outcome.status, 'rolled-back');
    assert.equal(v4.outcome.failedStep, 'rainbow:tests');
    assert.match(v4.outcome.reason ?? '', /Failed[\s\S]*exit 1[\s\S]*release v4 answers v3/);
    assert.equal(await exists('Deployment', 'work-v4'), false);
    assert.equal((await selector())['baton.dev/release'], 'v3');

    for (const name of ['work-v1', 'work-v2', 'work-v3']) assert.ok(await exists('Deployment', name), `${name} still runs`);
    assert.equal(await activeTasks('v1'), 1, 'the v1 task is still running on v1');
  });

  test('gc keeps v1 while its task runs (and v2 while young); rollback to v2 is one Service switch', async () => {
    const first = await collectGarbage({ kube: t.kube, spec: (await loadSpec(join(t.dir, 'v3', 'baton.yaml'))).spec, engine: engine() });
    assert.equal(first.run, undefined, 'nothing deleted');
    const v1 = first.decisions.find((d) => d.deployment === 'work-v1')!;
    assert.equal(v1.action, 'keep');
    assert.ok(
      v1.reasons.some((r) => /1 active task/.test(r)),
      v1.reasons.join('; '),
    );
    assert.equal(first.decisions.find((d) => d.deployment === 'work-v2')?.action, 'keep');
    assert.equal(first.active?.deployment, 'work-v3');

    const loaded = await loadSpec(join(t.dir, 'v3', 'baton.yaml'));
    const history = await readHistory(t.kube, 'default', 'work');
    const live: Record<string, DeploymentLike | undefined> = {};
    for (const h of history)
      live[h.deployment] = await t.kube.get<DeploymentLike>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: h.deployment,
        namespace: 'default',
      });
    const plan = planRainbowRollback({ app: 'work', namespace: 'default', history, live, to: 'v2' });
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      ['switch-selector', 'record-release'],
      'a live release comes back by a switch alone',
    );
    const result = await rollback({ spec: loaded.spec }, testPorts(t.kube, engine(), join(t.dir, 'state')), { plan, tailMs: 3000 });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    const p = result.probe!;
    assert.equal(p.requests.failed, 0, JSON.stringify(p.failures.kept.slice(0, 3)));
    const switchAt = p.marks.find((m) => m.label === 'rainbow:activate')!.at;
    const lastV3 = Math.max(...p.buckets.filter((b) => (b.byVersion.v3 ?? 0) > 0).map((b) => p.startedAt + b.t + p.config.bucketMs));
    const firstV2 = Math.min(...p.buckets.filter((b) => (b.byVersion.v2 ?? 0) > 0).map((b) => p.startedAt + b.t));
    process.stdout.write(
      `# rainbow rollback v3 -> v2: run ${Math.round(p.stoppedAt - p.startedAt)} ms incl. probe warm-up/tail; first v2 answer ${Math.round(firstV2 - switchAt)} ms after the switch, last v3 answer <= ${Math.round(lastV3 - switchAt)} ms after it (bucket ${p.config.bucketMs} ms), ${p.requests.total} requests, ${p.requests.failed} failed\n`,
    );
    assert.deepEqual(Object.keys(p.buckets.filter((b) => b.requests > 0).at(-1)!.byVersion), ['v2']);
    assert.equal((await selector())['baton.dev/release'], 'v2');
    assert.ok(await exists('Deployment', 'work-v3'), 'v3 keeps running after the rollback');
  });

  test('once the v1 task ends (0 in Prometheus) and its minimum age has passed, gc deletes v1; v2 stays', async () => {
    const gcSpec = (await loadSpec(join(t.dir, 'v3', 'baton.yaml'))).spec;
    // Past its minimum age but still busy: kept for the task alone.
    let v1busy = (await collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true })).decisions.find((d) => d.deployment === 'work-v1')!;
    await until(
      'v1 to pass its minimum age',
      async () => {
        v1busy = (await collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true })).decisions.find((d) => d.deployment === 'work-v1')!;
        return !v1busy.reasons.some((r) => /minimum age/.test(r));
      },
      30_000,
    );
    assert.equal(v1busy.action, 'keep');
    assert.deepEqual(v1busy.reasons, ['1 active task(s) still running']);
    await until('the v1 task to end (metric 0)', async () => (await activeTasks('v1')) === 0, taskMs + 20_000);
    let report = await collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true });
    await until(
      'v1 to be collectable',
      async () => {
        report = await collectGarbage({ kube: t.kube, spec: gcSpec, dryRun: true });
        return report.decisions.find((d) => d.deployment === 'work-v1')?.action === 'delete';
      },
      30_000,
    );
    // The real deletion through the CLI, as a CronJob would run it.
    const kubeconfig = join(t.dir, 'kubeconfig');
    await writeFile(kubeconfig, t.cluster.kubeconfig);
    let out = '';
    let err = '';
    const code = await runCli(
      ['gc', '-f', join(t.dir, 'v3', 'baton.yaml'), '--kubeconfig', kubeconfig, '--state-dir', join(t.dir, 'state'), '-o', 'json'],
      {
        cwd: t.dir,
        env: {},
        stdout: { write: (c: string) => (out += c) },
        stderr: { write: (c: string) => (err += c) },
        signal: new AbortController().signal,
      },
    );
    assert.equal(code, 0, err);
    const done = JSON.parse(out) as {
      run?: { runId: string; status: string; reason?: string };
      active: { deployment: string } | null;
      decisions: Array<{ deployment: string; action: string }>;
    };
    assert.equal(done.run?.status, 'succeeded', done.run?.reason);
    assert.equal(done.decisions.find((d) => d.deployment === 'work-v1')?.action, 'delete');
    await until('the v1 Deployment to be gone', async () => !(await exists('Deployment', 'work-v1')), 10_000);
    assert.equal(await exists('Service', 'work-v1'), false);
    assert.ok(await exists('Deployment', 'work-v2'), 'the active release is never collected');
    assert.equal(done.active?.deployment, 'work-v2');
    assert.ok(!done.decisions.some((d) => d.deployment === 'work-v2'));
    const journal = new FileJournal({ dir: join(t.dir, 'state') });
    const entries = await journal.read(done.run!.runId);
    assert.ok(
      entries.some((e) => e.type === 'step-finished' && e.stepId === 'gc:delete:work-v1'),
      'the deletion is journaled',
    );
  });
});
