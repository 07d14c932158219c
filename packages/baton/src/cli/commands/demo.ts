import { chmod, cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { printJson, type CliIO } from '../io.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import { LeaseLock } from '../../kube/lease-lock.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { migrate } from '../../db/migrations/migrate.js';
import { startEmbeddedPostgres } from '../../db/embedded/start-embedded-postgres.js';
import { waitForRollout } from '../../strategies/steps/rollout-watch.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import { upgrade } from '../../operations/upgrade.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { loadRelease } from '../../spec/load-release.js';
import { fileArtifacts, fileJournal } from './context.js';
import { progressPrinter } from '../progress.js';
import { finishWith } from './outcome.js';
import { waitUntilServed } from '../../probe/wait-until-served.js';
import { startKubesimProcess } from '../../kube/kubesim-process.js';
import { keepDemo, stopKeptDemo } from './demo-keep.js';
import { BatonError } from '../../errors.js';

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../demo');

/** Where demo-app lives (its images.yaml maps demo/app:vN to its server). */
function demoAppDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@baton/demo-app/package.json'));
}

/**
 * The embedded default: a real local Kubernetes (kubesim: pods are processes), an embedded
 * PostgreSQL, demo-app v1 serving live traffic, then a real upgrade to v2 with an expand
 * migration and verification, measured by the probe, reported, cleaned up.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  if (args[0] === 'stop') return stopKeptDemo(io, resolve(io.cwd, options.stateDir as string));
  if (args[0] !== undefined)
    throw new BatonError('USAGE', `unknown demo action ${JSON.stringify(args[0])}`, { hint: 'the only action is `baton demo stop`' });
  const json = options.output === 'json';
  const say = (line: string): void => {
    if (!json) io.stderr.write(`${line}\n`);
  };
  const stateDir = resolve(io.cwd, options.stateDir as string);
  const work = await mkdtemp(join(tmpdir(), 'baton-demo-'));
  const cleanups: Array<() => Promise<void>> = [async () => rm(work, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    // PostgreSQL refuses to run as root; as root it runs as user postgres, which must be able to
    // enter the work folder (mkdtemp makes it 0700).
    await chmod(work, 0o711);
    say('starting embedded PostgreSQL...');
    const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg', 'data') });
    cleanups.push(() => pg.stop());

    say('starting kubesim (API server, controllers, a node whose pods are local processes, Service and ingress proxies)...');
    const appDir = demoAppDir();
    const kubeconfigPath = join(work, 'kubeconfig');
    await mkdir(dirname(kubeconfigPath), { recursive: true });
    // A/B routes by header, so its traffic goes through kubesim's ingress proxy.
    const l7 = options.strategy === 'ab';
    const cluster = await startKubesimProcess({ images: join(appDir, 'images.yaml'), kubeconfigPath, propagationDelayMs: 1000 });
    cleanups.push(() => cluster.stop());
    const kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });

    // The release that is live before the upgrade: schema 0001 and demo-app v1.
    const manifestsDir = join(work, 'manifests');
    await mkdir(manifestsDir);
    for (const file of ['config.yaml', 'deployment.yaml', 'service.yaml']) {
      let text = await readFile(join(demoDir, 'manifests', file), 'utf8');
      if (options.prestop === false && file === 'deployment.yaml')
        text = text.replace(/\n\s+lifecycle:\n\s+preStop:\n\s+exec: \{ command: \[sleep, "\d+"\] \}/, '');
      await writeFile(join(manifestsDir, file), text);
    }
    if (l7) await writeFile(join(manifestsDir, 'ingress.yaml'), demoIngress);
    say('migrating the database to v1 (0001) and deploying demo-app v1 (3 replicas)...');
    await migrate({ url: pg.url, dir: join(appDir, 'migrations'), versions: [1], release: 'v1' });
    await kube.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'demo-db', namespace: 'default' },
        type: 'Opaque',
        stringData: { url: pg.url },
      } as KubeObject,
      { force: true },
    );
    for (const file of ['config.yaml', 'service.yaml', 'deployment.yaml', ...(l7 ? ['ingress.yaml'] : [])]) {
      for (const doc of parseAllDocuments(await readFile(join(manifestsDir, file), 'utf8'))) {
        const object = doc.toJS() as KubeObject;
        if (object.kind === 'Deployment') {
          // As baton would have deployed it: the release name travels in BATON_RELEASE (and so in
          // the app's database application_name, which contract migrations wait on).
          for (const c of (object as unknown as DeploymentLike).spec.template.spec.containers)
            c.env = [...(c.env ?? []), { name: 'BATON_RELEASE', value: 'v1' }];
        }
        const applied = await kube.apply<KubeObject>(
          { ...object, metadata: { ...object.metadata, namespace: 'default' } },
          { force: true },
        );
        if (object.kind === 'Deployment') {
          const verdict = await waitForRollout(kube, applied as DeploymentLike, 'demo/app:v1', { timeoutMs: 120_000, signal: io.signal });
          if (verdict.kind === 'failed') throw new Error(`demo-app v1 did not start: ${verdict.reason}`);
        }
      }
    }

    // Ready pods are not yet a reachable Service: the proxies learn endpoints a moment later (as
    // kube-proxy does). Start measuring once v1 is really served, so the baseline is clean.
    const svc = await kube.get<KubeObject & { spec: { clusterIP: string } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'demo',
      namespace: 'default',
    });
    await waitUntilServed(`http://${svc!.spec.clusterIP}:8080/ready`, { signal: io.signal });

    const target = options.badVersion ? 'demo/app:v2-bad' : 'demo/app:v2';
    const specPath = join(work, 'baton.yaml');
    // A spec's inputs live in its folder: the release's migrations are copied beside it, as a
    // user keeps them beside their baton.yaml.
    await cp(join(appDir, 'migrations'), join(work, 'migrations'), { recursive: true });
    await writeFile(
      specPath,
      demoSpec({
        strategy: options.strategy as string,
        image: target,
        rps: Number(options.rps),
        migrationsDir: 'migrations',
        bad: Boolean(options.badVersion),
        ...(cluster.ingressUrl && l7 ? { ingressUrl: cluster.ingressUrl } : {}),
      }),
    );
    say(
      `\nupgrading demo-app v1 -> ${target} (${options.strategy as string}) under ${String(options.rps)} req/s of probe traffic, 3 streams, 2 SSE, 1 WebSocket, 5 writes/s...\n`,
    );

    // The spec names the database URL by an env var, so the URL (with its password) never enters
    // the plan or the journal; plan and steps read it from this environment.
    const env = { ...io.env, BATON_DEMO_DATABASE_URL: pg.url };
    const { inputs } = await loadRelease(specPath);
    const result = await upgrade(inputs, {
      kube,
      journal: fileJournal(stateDir),
      lock: new LeaseLock(kube),
      artifacts: fileArtifacts(stateDir),
      env,
      signal: io.signal,
      onEvent: progressPrinter(io, { quiet: json }),
      onNotice: say,
    });
    const files = result.artifacts ?? {};
    // The same RunOutcome document `baton upgrade -o json` prints (docs/json-output.md).
    if (json) printJson(io, 'RunOutcome', { ...result.outcome, summary: result.summary, files });
    else {
      io.stdout.write(`\n${renderMarkdown(result.record)}\n`);
      io.stdout.write(`Report: ${files.markdown}\n        ${files.html}\n`);
    }
    const code = finishWith({ ...io, stdout: { write: () => true } }, result.outcome, json);
    if (options.keep === true)
      await keepDemo(io, {
        stateDir,
        kubeconfig: kubeconfigPath,
        spec: specPath,
        runId: result.outcome.runId,
        env: { BATON_DEMO_DATABASE_URL: pg.url },
      });
    return code;
  } finally {
    await cleanup();
  }
}

const demoIngress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: demo }
spec:
  rules:
    - http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: demo, port: { number: 8080 } } } }] }
`;

/** Drain by evidence for the demo's streams, every strategy. */
const demoDrain = `# Drain by evidence: old pods leave only when their open streams (demo-app's own gauge, read from
# each pod) reach 0, so no download, SSE or WebSocket client is cut (docs/long-lived-connections.md).
drain:
  deadlineSeconds: 30    # the hard cap, not shorter than the pods' 30 s grace period
  settleSeconds: 2       # kubesim's proxies learn endpoint changes after 1 s
  maxStreamSeconds: 4    # the probe's downloads
  connections: { port: http, metric: demo_open_streams }
  nudge: { path: /admin/drain }
`;

function demoSpec(o: { strategy: string; image: string; rps: number; migrationsDir: string; bad: boolean; ingressUrl?: string }): string {
  return `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: demo
namespace: default
manifests: [manifests]
image: { ref: "${o.image}" }
version: v2
strategy:
  kind: ${o.strategy}
  rolling: { maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 60 }
  blueGreen: { scaleDownDelaySeconds: 3, progressDeadlineSeconds: 60 }
  canary: { steps: [{ setWeight: 34 }, { analysis: { seconds: 6, maxErrorRate: 0 } }, { setWeight: 67 }, { analysis: { seconds: 6, maxErrorRate: 0 } }], progressDeadlineSeconds: 60 }
  ab: { match: { header: x-demo-beta, value: "yes" }, pause: { seconds: 6 }, progressDeadlineSeconds: 60 }
  rainbow:
    progressDeadlineSeconds: 60
    # integration tests against the new release's own Service, before it takes any traffic
    # (a new Service routes a moment after it exists, so the check retries for up to 15 s)
    tests: { command: ["${process.execPath}", -e, "const u = process.env.BATON_RELEASE_URL; let n = 0; const t = () => fetch(u + '/').then(async (r) => { const b = await r.json(); process.exit(r.ok && b.version === 'v2' ? 0 : 1); }, () => (++n < 30 ? setTimeout(t, 500) : process.exit(1))); t();"], timeoutSeconds: 60 }
${o.strategy === 'rolling' ? '' : "    # `baton gc` (try it with --keep) deletes v1 once every v1 pod's demo_open_streams reads 0\n    gc: { minAge: 30s }\n"}traffic: ${o.ingressUrl ? '{ router: nginx-ingress, ingress: demo }' : '{ router: replica-ratio }'}
probe:
${o.ingressUrl ? `  url: ${o.ingressUrl}\n` : ''}  rps: ${o.rps}
  streams: { count: 3, path: "/stream?seconds=4&kbps=32" }
  sse: { count: 2, path: /events }
  websockets: { count: 1, path: /ws }
  writes: { path: /users, rps: 5 }
  analysis: { seconds: 5, maxErrorRate: 0 }
${demoDrain}verify:
  - name: migrate-status
    exec: { release: new, command: [demo-admin, migrate-status] }
    timeoutSeconds: 30
  - name: ready
    http: { path: /ready, expectStatus: 200 }
database:
  dialect: postgres
  url: { env: BATON_DEMO_DATABASE_URL }
  # rainbow keeps older releases running until \`baton gc\`, so the demo stops at the expand
  # migration: a backfill would wait for every older release to be collected.
  migrations: { dir: "${o.migrationsDir}", target: "${o.strategy === 'rainbow' ? '2' : '3'}" }
  backup: { method: pg_dump }
`;
}
