import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { startCluster, type Cluster } from '@baton/kubesim';
import { installManifests } from '../controller/install-manifests.js';
import { createRelease } from '../controller/release-client.js';
import { releaseApiVersion, type Release } from '../controller/release.js';
import type { KubeClient } from '../kube/kube-client.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { loadSpec } from '../spec/load-spec.js';
import { launchChromium } from '../testing/browser.js';
import { applyAndWait, demoAppDir, demoManifests, writeSpec } from '../testing/demo-cluster.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const bin = resolve(here, '../../bin/baton.js');
const run = promisify(execFile);

/**
 * The dashboard as the controller serves it: the controller runs as a kubesim pod, a canary
 * Release pauses, `kubectl port-forward` reaches the pod's dashboard port, Chromium opens the
 * page with the token from the Secret, presses Promote, and the Release succeeds.
 */
describe("the controller's dashboard through kubectl port-forward, in Chromium", { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let browser: Browser;
  let dir: string;
  let kubeconfig: string;
  let forward: ChildProcess | undefined;
  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, ...args]);
  const release = () => kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name: 'demo-canary', namespace: 'default' });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-controller-dashboard-'));
    const app = demoAppDir();
    const demoImage = (version: string) => ({
      entrypoint: ['node', join(app, 'dist/server.js')],
      env: { APP_VERSION: version },
      path: [join(app, 'bin')],
      workingDir: app,
    });
    [browser, cluster] = await Promise.all([
      launchChromium(),
      startCluster({
        propagationDelayMs: 200,
        images: {
          'demo/app:v1': demoImage('v1'),
          'demo/app:v2': demoImage('v2'),
          'baton/controller:0.1.0': { entrypoint: ['node', bin], workingDir: repo },
        },
      }),
    ]);
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
    kube = new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig });
    // kubesim fidelity: its port-forward dials the pod IP where a real kubelet dials localhost in
    // the pod's network namespace (kubesim pods share the host's loopback). So here, and only
    // here, the dashboard listens on the pod IP; the install's default is 127.0.0.1:8080.
    const objects = installManifests({ replicas: 1, dashboardAddress: '$(POD_IP):8080' });
    await Promise.all([
      applyAndWait(kube, demoManifests({ image: 'demo/app:v1', preStopSeconds: 4 })),
      (async () => {
        for (const o of objects) await kube.apply<KubeObject>(o, { force: true });
      })(),
    ]);
  });
  after(async () => {
    if (forward?.pid !== undefined) forward.kill('SIGTERM');
    await browser?.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a paused canary Release is promoted from the page; a wrong token is refused', async () => {
    const path = await writeSpec(dir, 'canary', demoManifests({ image: 'demo/app:v1', preStopSeconds: 4 }), {
      image: { ref: 'demo/app:v2' },
      probe: { rps: 20 },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      traffic: { router: 'replica-ratio' },
    });
    await createRelease(kube, await loadSpec(path), { name: 'demo-canary' });
    const paused = await until(
      'Paused',
      async () => {
        const r = await release();
        if (['Succeeded', 'RolledBack', 'Aborted', 'Invalid', 'Failed', 'Halted'].includes(r?.status?.phase ?? ''))
          throw new Ended(`ended ${r?.status?.phase}: ${r?.status?.message}`);
        return r?.status?.phase === 'Paused' ? r : undefined;
      },
      180_000,
    );
    const runId = paused.status!.runId!;

    // The documented way in: the pod, the token from its Secret, a port-forward.
    const pod = (
      await kubectl(
        '-n',
        'baton-system',
        'get',
        'pods',
        '-l',
        'app.kubernetes.io/component=controller',
        '-o',
        'jsonpath={.items[0].metadata.name}',
      )
    ).stdout.trim();
    const token = Buffer.from(
      (await kubectl('-n', 'baton-system', 'get', 'secret', 'baton-dashboard', '-o', 'jsonpath={.data.token}')).stdout.trim(),
      'base64',
    ).toString();
    // `baton dashboard --in-cluster` prints the same way in: the port-forward and the URL with that token.
    const printed = JSON.parse(
      (await run(process.execPath, [bin, 'dashboard', '--in-cluster', '-o', 'json', '--kubeconfig', kubeconfig])).stdout,
    ) as { kind: string; portForward: string[]; pageUrl: string };
    assert.equal(printed.kind, 'InClusterDashboard');
    assert.deepEqual(printed.portForward, ['kubectl', '-n', 'baton-system', 'port-forward', 'deployment/baton-controller', '8080:8080']);
    assert.equal(new URL(printed.pageUrl).hash, `#token=${token}`);
    const port = await portForward(['-n', 'baton-system', `pod/${pod}`, ':8080']);
    const base = `http://127.0.0.1:${port}/`;

    const stranger = await browser.newPage();
    await stranger.goto(`${base}#token=not-the-token`);
    await stranger.locator('.banner.bad', { hasText: 'wrong dashboard token' }).waitFor();
    const refused = await stranger.evaluate(async (id) => {
      const res = await fetch(`api/runs/${id}/promote`, {
        method: 'POST',
        headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
        body: '{}',
      });
      return [res.status, ((await res.json()) as { error: { message: string } }).error.message] as const;
    }, runId);
    assert.equal(refused[0], 401);
    assert.match(refused[1], /Secret baton-system\/baton-dashboard/, 'the refusal says where the token is');
    assert.equal((await release())?.status?.control?.promote ?? null, null, 'the refused call asked for nothing');
    await stranger.close();

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}#token=${token}`);
    await page.locator('.app[data-app="demo"] a.run-link', { hasText: runId }).click();
    await page.locator('[data-testid="run-status"]', { hasText: 'paused' }).waitFor();
    // The probe runs in the controller: its totals (status.probe) are the live figures.
    assert.match(
      await page.locator('[data-testid="split-live"]').innerText(),
      /Live: the controller's probe[\s\S]*\d+ requests, 0 failed since the run began/i,
    );
    await page.locator('button[data-action="promote"]').click();
    assert.match(await page.locator('[data-testid="consequence"]').innerText(), /Approves .* and runs the \d+ remaining step/);
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="run-status"]', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
    // The journal (what the page shows) ends first; the controller writes the Release's status after its probe's tail.
    await until(
      'Release Succeeded',
      async () => {
        const r = await release();
        if (['RolledBack', 'Aborted', 'Failed', 'Halted'].includes(r?.status?.phase ?? ''))
          throw new Ended(`ended ${r?.status?.phase}: ${r?.status?.message}`);
        return r?.status?.phase === 'Succeeded' ? r : undefined;
      },
      30_000,
    );
    const image = (await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!.spec
      .template.spec.containers[0]!.image;
    assert.equal(image, 'demo/app:v2');
    // A page that missed the end and presses Promote again is told the run ended.
    const again = await page.evaluate(
      async ([id, t]) => {
        const res = await fetch(`api/runs/${id}/promote`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: '{}',
        });
        return [res.status, ((await res.json()) as { error: { code: string } }).error.code] as const;
      },
      [runId, token] as const,
    );
    assert.deepEqual(again, [409, 'RUN_FINISHED']);
    await page.close();
    const logs = (await kubectl('-n', 'baton-system', 'logs', pod)).stdout;
    assert.match(logs, /dashboard on http:\/\/127\.244\.[\d.]+:8080\/ .*token is in Secret baton-system\/baton-dashboard/);
    assert.ok(!logs.includes(token), 'the token is never logged');
  });

  /** Starts kubectl port-forward; resolves with the local port once it says "Forwarding from". */
  function portForward(args: string[]): Promise<number> {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'port-forward', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    forward = child;
    let out = '';
    return new Promise((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubectl port-forward did not start: ${out}`)), 20_000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kubectl port-forward exited ${code}: ${out}`));
      });
    });
  }
});

/** The awaited state can no longer come. */
class Ended extends Error {}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof Ended) throw error;
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
