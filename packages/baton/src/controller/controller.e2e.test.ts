import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startCluster, type Cluster } from '@baton/kubesim';
import type { KubeClient } from '../kube/kube-client.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { loadSpec, parseSpec } from '../spec/load-spec.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { applyAndWait, demoAppDir, demoManifests, writeSpec } from '../testing/demo-cluster.js';
import { createRelease, requestControl } from './release-client.js';
import { releaseApiVersion, type Release } from './release.js';
import { cliMessage } from './reconciler.js';
import { runCli } from '../cli/main.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { machineTarget, scratchDatabase, type ScratchDatabase } from '../db/testing/db-targets.js';
import type { DbSession } from '../db/dialect.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const bin = resolve(here, '../../bin/baton.js');
const run = promisify(execFile);

/**
 * baton's controller as kubesim pods, installed with `kubectl apply -k config/`, authorized only
 * by its own ServiceAccount's RBAC: Releases created by the CLI (killed right after create), a
 * leader killed mid-rollout, a second Release of the app waiting, an invalid spec, abort as a
 * status patch, a leader killed mid-backfill.
 */
describe('baton controller in kubesim (kubectl apply -k config/, pods, leader election)', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-controller-e2e-'));
    const app = demoAppDir();
    const demoImage = (version: string) => ({
      entrypoint: ['node', join(app, 'dist/server.js')],
      env: { APP_VERSION: version },
      path: [join(app, 'bin')],
      workingDir: app,
    });
    cluster = await startCluster({
      propagationDelayMs: 500,
      images: {
        'demo/app:v1': demoImage('v1'),
        'demo/app:v2': demoImage('v2'),
        'demo/app:v3': demoImage('v3'),
        'baton/controller:0.1.0': { entrypoint: ['node', bin], workingDir: repo },
      },
    });
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, cluster.kubeconfig);
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
    await applyAndWait(kube, demoManifests({ image: 'demo/app:v1', preStopSeconds: 4 }));
    await run('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-k', join(repo, 'config')]);
    await until('a controller leads', async () => (await lease())?.spec?.holderIdentity ?? undefined, 60_000);
  });
  after(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const lease = () =>
    kube.get<KubeObject & { spec?: { holderIdentity?: string | null } }>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      name: 'baton-controller',
      namespace: 'baton-system',
    });
  const release = (name: string) => kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name, namespace: 'default' });
  /** What a timeout prints: the Release's status and the controller pods with their last log lines. */
  const explainRelease = (name: string) => async (): Promise<string> => {
    const r = await release(name);
    const { items: pods } = await kube.list<KubeObject & { status?: { phase?: string } }>({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'baton-system',
    });
    const logs = await Promise.all(
      pods.map(async (p) => {
        const out = await run('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-n', 'baton-system', p.metadata.name, '--tail', '30']).then(
          (x) => x.stdout,
          (e: Error) => e.message,
        );
        return `--- pod ${p.metadata.name} (${p.status?.phase ?? '?'}):\n${out}`;
      }),
    );
    return `Release ${name} status: ${JSON.stringify(r?.status ?? null).slice(0, 3000)}\n${logs.join('\n')}`;
  };
  const image = async () =>
    (await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!.spec.template.spec
      .containers[0]!.image;

  test("an invalid spec: condition Invalid with the CLI's message, nothing applied", async () => {
    const path = await writeSpec(dir, 'invalid', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:latest' },
      probe: { enabled: false },
    });
    const created = await createRelease(kube, { ...parseSpecLenient(await readFile(path, 'utf8'), path) }, { name: 'demo-invalid' });
    const invalid = await until(
      'Invalid',
      async () => {
        const r = await release(created.metadata.name);
        return r?.status?.phase === 'Invalid' ? r : undefined;
      },
      60_000,
    );
    let cli = '';
    try {
      parseSpec(await readFile(path, 'utf8'), path);
    } catch (error) {
      cli = cliMessage((error as Error).message, path);
    }
    const condition = invalid.status!.conditions!.find((c) => c.type === 'Invalid')!;
    assert.equal(condition.status, 'True');
    assert.match(cli, /image\.ref: .*latest/);
    assert.ok(condition.message.startsWith(cli), `controller said:\n${condition.message}\nCLI said:\n${cli}`);
    assert.equal(await image(), 'demo/app:v1');
  });

  test('rolling v1 -> v2: CLI killed after create, leader killed mid-rollout, a second Release waits', async () => {
    const path = await writeSpec(dir, 'v2', demoManifests({ image: 'demo/app:v1', preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v2' },
      probe: { rps: 20 },
    });
    const child = spawn(
      process.execPath,
      [bin, 'upgrade', '--in-cluster', '--name', 'demo-v2', '--spec', path, '--kubeconfig', kubeconfig],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('created Release')) child.kill('SIGKILL');
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    assert.equal(signal, 'SIGKILL', out);

    const second = await writeSpec(dir, 'v3', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v3' },
      probe: { enabled: false },
    });
    await createRelease(kube, await loadSpec(second), { name: 'demo-v3' });
    const waiting = await until(
      'the second Release waits',
      async () => {
        const r = await release('demo-v3');
        return r?.status?.phase === 'Waiting' ? r : undefined;
      },
      60_000,
    );
    assert.match(waiting.status!.conditions!.find((c) => c.type === 'Waiting')!.message, /waits for Release default\/demo-v2/);

    await until(
      'rollout step started',
      async () => (await release('demo-v2'))?.status?.currentStep?.id === 'rollout:demo' || undefined,
      120_000,
      explainRelease('demo-v2'),
    );
    const leader = (await lease())!.spec!.holderIdentity!;
    await kube.delete({ apiVersion: 'v1', kind: 'Pod', name: leader, namespace: 'baton-system' }, { gracePeriodSeconds: 0 });
    const done = await until(
      'Succeeded',
      async () => {
        const r = await release('demo-v2');
        if (r?.status?.phase === 'RolledBack' || r?.status?.phase === 'Halted')
          throw new Error(`ended ${r.status.phase}: ${r.status.message}`);
        return r?.status?.phase === 'Succeeded' ? r : undefined;
      },
      180_000,
    );
    const status = done.status!;
    assert.notEqual(status.holder, leader, 'another replica finished the run');
    assert.equal(await image(), 'demo/app:v2');
    assert.ok(status.probe!.requests > 0, 'the probe ran in the controller');
    assert.ok(status.probe!.segments.length >= 2, `a segment per leader: ${JSON.stringify(status.probe!.segments)}`);
    if (status.probe!.failed > 0) {
      const record = await kube.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'baton-probe-demo-v2',
        namespace: 'default',
      });
      const failures = Object.values(record?.data ?? {}).map(
        (text) => JSON.parse(text) as { failures: unknown; requests: unknown; startedAt: number },
      );
      assert.fail(
        `failed requests: ${JSON.stringify(status.probe)}\nsteps: ${JSON.stringify(status.steps)}\nrecords: ${JSON.stringify(failures).slice(0, 4000)}`,
      );
    }
    assert.deepEqual(
      status.steps!.map((s) => s.state),
      status.steps!.map(() => 'done'),
    );

    // The waiting Release may now start; abort it through a status patch.
    await requestControl(kube, 'default', 'demo-v3', { abort: true, reason: 'e2e: not this one' });
    const aborted = await until(
      'second aborted or rolled back',
      async () => {
        const r = await release('demo-v3');
        return r?.status?.phase === 'Aborted' || r?.status?.phase === 'RolledBack' ? r : undefined;
      },
      120_000,
    );
    assert.equal(await image(), 'demo/app:v2', `the aborted Release left v2 running (${aborted.status?.phase})`);
  });

  test('canary paused: promote as a status patch survives kubectl apply of the same spec; a spec change is refused', async () => {
    const from = await image();
    const path = await writeSpec(dir, 'canary', demoManifests({ image: 'demo/app:v1', preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v3' },
      probe: { rps: 20 },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      traffic: { router: 'replica-ratio' },
    });
    await createRelease(kube, await loadSpec(path), { name: 'demo-canary' });
    await until('Paused', async () => (await release('demo-canary'))?.status?.phase === 'Paused' || undefined, 180_000);
    const live = (await release('demo-canary'))!;
    const manifest = join(dir, 'release.json');
    const gitops = {
      apiVersion: releaseApiVersion,
      kind: 'Release',
      metadata: { name: 'demo-canary', namespace: 'default' },
      spec: live.spec,
    };
    await writeFile(manifest, JSON.stringify(gitops));
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, ...args]);
    // A change to the spec while the run is under way is refused, with a condition.
    await writeFile(
      join(dir, 'changed.json'),
      JSON.stringify({ ...gitops, spec: { ...live.spec, upgrade: { ...live.spec.upgrade, version: 'other' } } }),
    );
    await kubectl('apply', '-f', join(dir, 'changed.json'));
    const refused = await until(
      'SpecChangeRefused',
      async () => (await release('demo-canary'))?.status?.conditions?.find((c) => c.type === 'SpecChangeRefused' && c.status === 'True'),
      30_000,
    );
    assert.match(refused.message, /keeps the spec it started with/);
    await kubectl('apply', '-f', manifest); // back to the original: the GitOps sync
    await kubectl(
      'patch',
      'release',
      'demo-canary',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"control":{"promote":true}}}',
    );
    await kubectl('apply', '-f', manifest); // a sync right after the promote must not undo it
    const done = await until(
      'Succeeded',
      async () => {
        const r = await release('demo-canary');
        if (r?.status?.phase === 'RolledBack' || r?.status?.phase === 'Halted')
          throw new Error(`ended ${r.status.phase}: ${r.status.message}`);
        return r?.status?.phase === 'Succeeded' ? r : undefined;
      },
      180_000,
    );
    assert.equal(done.status!.control?.promote ?? null, null, 'the controller cleared the request it acted on');
    assert.equal(await image(), 'demo/app:v3', `from ${from}`);
    assert.equal(done.status!.probe!.failed, 0, JSON.stringify(done.status!.probe));
  });

  test("a manifest the controller's RBAC does not cover: the API's 403 in a condition, nothing applied", async () => {
    const manifests = [
      ...demoManifests({ image: 'demo/app:v1' }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'demo-extra' } } as KubeObject,
    ];
    const path = await writeSpec(dir, 'forbidden', manifests, { image: { ref: 'demo/app:v2' }, probe: { enabled: false } });
    await createRelease(kube, await loadSpec(path), { name: 'demo-forbidden' });
    const text = await until(
      '403 reported',
      async () => {
        const s = (await release('demo-forbidden'))?.status;
        const all = [...(s?.conditions ?? []).map((c) => c.message), ...(s?.steps ?? []).map((x) => x.message ?? '')].join('\n');
        return /403|forbidden/i.test(all) ? all : undefined;
      },
      120_000,
    );
    assert.match(text, /serviceaccounts/i);
    assert.match(text, /system:serviceaccount:baton-system:baton-controller/);
    assert.equal(await image(), 'demo/app:v3');
    await requestControl(kube, 'default', 'demo-forbidden', { abort: true });
  });

  // The CLI's verbs on Releases, run in-process as a user would type them (exit code, stdout, stderr).
  const baton = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = {
      cwd: dir,
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdout: {
        write: (c: string) => {
          stdout += c;
        },
      },
      stderr: {
        write: (c: string) => {
          stderr += c;
        },
      },
      signal: new AbortController().signal,
    };
    const code = await runCli(args, io);
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as Release['status'] & { traffic?: { weight: number } } };
  };
  /** Releases of an app run one at a time: the next test starts once the earlier ones ended. */
  const allFinal = async () => {
    let open: string[] = [];
    try {
      await until(
        'earlier Releases of demo finished',
        async () => {
          const { items } = await kube.list<Release>({ apiVersion: releaseApiVersion, kind: 'Release', namespace: 'default' });
          open = items
            .filter((r) => !['Succeeded', 'RolledBack', 'Aborted', 'Invalid', 'Failed'].includes(r.status?.phase ?? ''))
            .map((r) => `${r.metadata.name}: ${JSON.stringify(r.status)}`);
          return open.length === 0 || undefined;
        },
        60_000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; still open:\n${open.join('\n')}`);
    }
  };
  const succeeded = async (name: string) => {
    try {
      return await until(
        `${name} Succeeded`,
        async () => {
          const r = await release(name);
          // None of these Releases pauses by design: a pause (an inconclusive analysis) is a failure here.
          if (['RolledBack', 'Halted', 'Failed', 'Paused', 'Aborted'].includes(r?.status?.phase ?? ''))
            throw new Error(`ended ${r?.status?.phase}: ${r?.status?.message}`);
          return r?.status?.phase === 'Succeeded' ? r : undefined;
        },
        100_000,
      );
    } catch (error) {
      const deployments = (
        await kube.list<DeploymentLike & { status?: unknown }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' })
      ).items.map(
        (d) =>
          `${d.metadata.name}: replicas ${d.spec.replicas} paused ${String((d.spec as { paused?: boolean }).paused)} status ${JSON.stringify(d.status)}`,
      );
      throw new Error(
        `${(error as Error).message}\nstatus: ${JSON.stringify((await release(name))?.status)}\ndeployments:\n${deployments.join('\n')}`,
      );
    }
  };
  const cleanProbe = (r: Release) => {
    const p = r.status!.probe!;
    assert.ok(p.requests > 0, `the probe ran: ${JSON.stringify(p)}`);
    assert.equal(p.failed, 0, `0 failed requests: ${JSON.stringify(p)}`);
    assert.equal(r.status!.conditions!.find((c) => c.type === 'ProbeClean')?.status, 'True');
  };

  test("canary without a pause runs to the end by itself: 0 failed requests in the Release's probe figures", async () => {
    await allFinal();
    const path = await writeSpec(dir, 'canary-auto', demoManifests({ image: 'demo/app:v3', replicas: 2, preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v2' },
      probe: { rps: 20 },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { analysis: { seconds: 3, minRequests: 10 } }] } },
      traffic: { router: 'replica-ratio' },
    });
    await createRelease(kube, await loadSpec(path), { name: 'demo-canary-auto' });
    const done = await succeeded('demo-canary-auto');
    cleanProbe(done);
    assert.equal(done.status!.gates!.at(-1)?.verdict, 'pass', JSON.stringify(done.status!.gates));
    assert.equal(await image(), 'demo/app:v2');
    const status = await baton('status', 'release/demo-canary-auto', '-o', 'json');
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json().phase, 'Succeeded');
    const report = await baton('report', 'release/demo-canary-auto', '-o', 'json');
    assert.equal(report.code, 0, report.stderr);
    const record = JSON.parse(report.stdout) as { kind: string; probe: { requests: { total: number; failed: number } } | null };
    assert.equal(record.kind, 'RunReport');
    assert.ok(
      record.probe && record.probe.requests.total > 0 && record.probe.requests.failed === 0,
      `the report carries the controller's probe record: ${JSON.stringify(record.probe?.requests)}`,
    );
  });

  test('abort of a paused canary through `baton abort release/NAME` (a status patch) rolls it back', async () => {
    await allFinal();
    const path = await writeSpec(dir, 'canary-abort', demoManifests({ image: 'demo/app:v2', replicas: 2, preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v3' },
      probe: { rps: 20 },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      traffic: { router: 'replica-ratio' },
    });
    await createRelease(kube, await loadSpec(path), { name: 'demo-canary-abort' });
    await until('Paused', async () => (await release('demo-canary-abort'))?.status?.phase === 'Paused' || undefined, 120_000);
    const paused = await baton('status', 'release/demo-canary-abort');
    assert.equal(paused.code, 4, `status of a paused Release exits 4 like a paused run\n${paused.stdout}${paused.stderr}`);
    assert.match(paused.stdout, /next: baton promote release\/demo-canary-abort/);
    assert.match(paused.stdout, /traffic: new \d+%/);
    const finished = await baton('promote', 'release/demo-canary-auto');
    assert.equal(finished.code, 2, finished.stderr);
    assert.match(finished.stderr, /already ended Succeeded/);
    const missing = await baton('status', 'release/no-such-release');
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no Release no-such-release in namespace default/);

    const aborted = await baton('abort', 'release/demo-canary-abort', '--reason', 'e2e: abort the canary');
    assert.equal(aborted.code, 1, `an abort that rolled back exits 1, as the local verb does\n${aborted.stdout}${aborted.stderr}`);
    assert.match(aborted.stdout, /phase: RolledBack/);
    const r = (await release('demo-canary-abort'))!;
    assert.equal(r.status!.phase, 'RolledBack');
    assert.equal(r.status!.control?.abort ?? null, null, 'the controller cleared the request');
    assert.equal(await image(), 'demo/app:v2', 'the stable version is untouched');
    cleanProbe(r);
  });

  // Without a database the only point of no return is the maintenance strategy's migration: an
  // exec in the app's pod by the controller, with its service account's pods/exec permission.
  test('retry through `baton resume release/NAME`: a check failing after the point of no return halts; once it passes, the retry finishes', async () => {
    await allFinal();
    let healthy = false;
    const check: Server = createServer((_req, res) => {
      res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'not yet');
    });
    await new Promise<void>((r) => check.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(check.address() as AddressInfo).port}/ready`;
      const path = await writeSpec(dir, 'halt', demoManifests({ image: 'demo/app:v2', replicas: 1, preStopSeconds: null }), {
        image: { ref: 'demo/app:v1' },
        probe: { enabled: false },
        strategy: { kind: 'maintenance', maintenance: { migrate: { exec: { command: [process.execPath, '-e', '0'] } } } },
        verify: [{ name: 'ready', http: { url }, timeoutSeconds: 5 }],
      });
      await createRelease(kube, await loadSpec(path), { name: 'demo-halt' });
      const halted = await until(
        'Halted',
        async () => {
          const x = await release('demo-halt');
          if (x?.status?.phase === 'RolledBack' || x?.status?.phase === 'Failed')
            throw new Error(`ended ${x.status.phase}: ${x.status.message}`);
          return x?.status?.phase === 'Halted' ? x : undefined;
        },
        180_000,
      );
      assert.match(halted.status!.message ?? '', /after the point of no return/);
      const status = await baton('status', 'release/demo-halt');
      assert.equal(status.code, 3, `a Halted Release exits 3\n${status.stdout}${status.stderr}`);
      const early = await baton('promote', 'release/demo-halt');
      assert.equal(early.code, 2, early.stderr);
      assert.match(early.stderr, /not paused/);
      healthy = true;
      const retried = await baton('resume', 'release/demo-halt', '-o', 'json');
      assert.equal(retried.code, 0, `${retried.stdout}${retried.stderr}`);
      assert.equal(retried.json().phase, 'Succeeded');
      assert.equal(await image(), 'demo/app:v1');
    } finally {
      check.close();
    }
  });

  // The backfill's batches pause 50 ms each (pg_sleep in the statement) so the run can be caught
  // in the middle; its statement has no `IS NULL` guard, so a restart from zero would write the
  // first rows again, which the trigger's per-row write counter shows (a rolled-back batch's
  // writes roll back with it, so each row counts 1 exactly when the walk resumed after the checkpoint).
  test('leader killed mid-backfill: the other replica resumes from the checkpoint; schema, ledger and rows as an uninterrupted run leaves them', async (t) => {
    await allFinal();
    const rows = 2000;
    const postgres = await machineTarget('postgres'); // fails with the address when PostgreSQL is not running
    const scratch: ScratchDatabase = await scratchDatabase(postgres);
    let db: DbSession | undefined;
    try {
      db = await postgres.dialect.connect(scratch.url);
      await db.query(
        `CREATE TABLE orders (id bigserial PRIMARY KEY, sku text NOT NULL UNIQUE, qty int NOT NULL, price_cents int NOT NULL, legacy_total text, backfill_writes int NOT NULL DEFAULT 0)`,
      );
      await db.query(
        `INSERT INTO orders (sku, qty, price_cents, legacy_total) SELECT 'sku-' || g, g % 7 + 1, g * 3, 'n/a' FROM generate_series(1, ${rows}) AS g`,
      );
      await db.query(`CREATE FUNCTION count_backfill_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.backfill_writes := OLD.backfill_writes + 1; RETURN NEW; END $$`);
      await db.query(`CREATE TRIGGER count_backfill_write BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION count_backfill_write()`);

      const from = await image();
      // v1 after the retry test; v2 is where the blue-green test expects to start from.
      const to = from === 'demo/app:v2' ? 'demo/app:v3' : 'demo/app:v2';
      const path = await writeSpec(dir, 'backfill', demoManifests({ image: from, replicas: 1, preStopSeconds: null }), {
        image: { ref: to },
        probe: { enabled: false },
        database: { dialect: 'postgres', url: { secret: { name: 'demo-db', key: 'url' } }, migrations: { dir: 'migrations' } },
      });
      const migrations = join(dirname(path), 'migrations');
      await mkdir(migrations);
      await writeFile(
        join(migrations, '0001_add_total_cents.sql'),
        '-- baton: phase=expand\nALTER TABLE orders ADD COLUMN total_cents bigint;\n-- baton: down\nALTER TABLE orders DROP COLUMN total_cents;\n',
      );
      await writeFile(
        join(migrations, '0002_backfill_total_cents.sql'),
        '-- baton: phase=backfill table=orders key=id batch=100\n' +
          'UPDATE orders SET total_cents = qty * price_cents WHERE id >= :start AND id < :end AND (SELECT true FROM pg_sleep(0.05));\n',
      );
      await writeFile(
        join(migrations, '0003_drop_legacy_total.sql'),
        '-- baton: phase=contract\nALTER TABLE orders DROP COLUMN legacy_total;\n',
      );
      // Trust auth: the URL carries no password, yet it travels as a Secret as a real one would.
      await kube.apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'demo-db', namespace: 'default' },
        stringData: { url: scratch.url },
      } as KubeObject);
      await createRelease(kube, await loadSpec(path), { name: 'demo-backfill' });

      const cursor = async () =>
        (await db!.query(`SELECT rows_done, batches, done FROM baton_backfill_cursor WHERE version = 2`).catch(() => ({ rows: [] })))
          .rows[0];
      const atKill = await until(
        'the backfill is a few batches in',
        async () => {
          const c = await cursor();
          if ((await release('demo-backfill'))?.status?.currentStep?.id !== 'migrate:backfill' || !c) return undefined;
          return Number(c.batches) >= 10 && c.done === false ? { rowsDone: Number(c.rows_done), batches: Number(c.batches) } : undefined;
        },
        120_000,
        explainRelease('demo-backfill'),
      );
      const leader = (await lease())!.spec!.holderIdentity!;
      await kube.delete({ apiVersion: 'v1', kind: 'Pod', name: leader, namespace: 'baton-system' }, { gracePeriodSeconds: 0 });
      const killedAt = Date.now();
      const successor = await until(
        'another replica takes the Lease',
        async () => {
          const holder = (await lease())?.spec?.holderIdentity;
          return holder && holder !== leader ? holder : undefined;
        },
        60_000,
      );
      const takeoverMs = Date.now() - killedAt;
      const done = await succeeded('demo-backfill');
      const final = (await cursor())!;
      t.diagnostic(
        `backfill: ${rows} rows; leader ${leader} killed after ${atKill.batches} batches (${atKill.rowsDone} rows); ${successor} took the Lease in ${takeoverMs} ms; ${String(final.batches)} batches in all; step: ${done.status!.steps!.find((x) => x.id === 'migrate:backfill')?.message ?? '?'}`,
      );

      assert.equal(done.status!.holder, successor, 'the replica that took the Lease finished the run');
      assert.equal(await image(), to);
      assert.deepEqual(
        done.status!.steps!.map((s) => s.state),
        done.status!.steps!.map(() => 'done'),
      );
      const ledger = (await db.query(`SELECT version, count(*)::int AS n FROM baton_schema_migrations GROUP BY version ORDER BY version`))
        .rows;
      assert.deepEqual(
        ledger.map((r) => [Number(r.version), Number(r.n)]),
        [
          [1, 1],
          [2, 1],
          [3, 1],
        ],
        'each migration is in the ledger once',
      );
      const table = (
        await db.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, count(DISTINCT sku)::int AS skus,
          count(*) FILTER (WHERE total_cents IS DISTINCT FROM qty * price_cents)::int AS wrong,
          count(*) FILTER (WHERE backfill_writes <> 1)::int AS rewritten FROM orders`)
      ).rows[0]!;
      assert.deepEqual(
        { ...table },
        { n: rows, ids: rows, skus: rows, wrong: 0, rewritten: 0 },
        'every row once, filled with qty * price_cents, written by exactly one batch',
      );
      const columns = (
        await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY column_name`)
      ).rows.map((r) => r.column_name);
      assert.deepEqual(columns, ['backfill_writes', 'id', 'price_cents', 'qty', 'sku', 'total_cents'], 'expanded and contracted');
      assert.equal(final.done, true);
      assert.equal(Number(final.rows_done), rows);
      assert.ok(
        Number(final.batches) > atKill.batches,
        `the successor went on from batch ${atKill.batches} (${String(final.batches)} in all)`,
      );
    } finally {
      await db?.close();
      await kube.delete({ apiVersion: 'v1', kind: 'Secret', name: 'demo-db', namespace: 'default' }).catch(() => false);
      await scratch.drop();
    }
  });

  test('blue-green under the controller: 0 failed requests; `baton rollback release/NAME` goes back through a new Release', async () => {
    await allFinal();
    const path = await writeSpec(dir, 'blue-green', demoManifests({ image: 'demo/app:v2', replicas: 1, preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v3' },
      probe: { rps: 20 },
      strategy: { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 2 } },
    });
    await createRelease(kube, await loadSpec(path), { name: 'demo-bg' });
    const done = await succeeded('demo-bg');
    cleanProbe(done);
    assert.equal(done.status!.strategy, 'blue-green');
    const listed = await baton('releases', '--in-cluster', '--app', 'demo', '-o', 'json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok((JSON.parse(listed.stdout) as { inCluster: Array<{ name: string }> }).inCluster.some((x) => x.name === 'demo-bg'));

    const back = await baton('rollback', 'release/demo-bg', '-o', 'json');
    assert.equal(back.code, 0, `${back.stdout}${back.stderr}`);
    const rolled = back.json() as NonNullable<Release['status']> & { release: string };
    assert.equal(rolled.phase, 'Succeeded');
    assert.equal(rolled.toVersion, done.status!.fromVersion, 'back to the version demo-bg replaced');
    assert.equal(rolled.probe?.failed, 0, JSON.stringify(rolled.probe));
  });
});

/** The invalid spec cannot pass loadSpec; give createRelease the loaded shape it needs. */
function parseSpecLenient(_text: string, path: string) {
  const folder = dirname(path);
  return {
    spec: { app: 'demo', namespace: 'default' } as never,
    file: path,
    dir: folder,
    manifestPaths: [join(folder, 'k8s')],
    migrationsDir: undefined,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, explain?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if ((error as Error).message.startsWith('ended')) throw error;
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const state = explain ? await explain().catch((error: unknown) => `(could not read the state: ${String(error)})`) : '';
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}${state ? `\n${state}` : ''}`);
}
