import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FileJournal } from '../engine/file-journal.js';
import type { KubeObject } from '../kube/kube-object.js';
import { LeaseLock } from '../kube/lease-lock.js';
import { renderHtml } from '../report/render-html.js';
import type { RunRecord } from '../report/run-record.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { launchChromium } from '../testing/browser.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { kubesimOnly } from '../testing/demo-cluster.js';
import { createRouter } from '../traffic/index.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { stepRegistry } from '../upgrade/step-registry.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { LocalBackend } from './local-backend.js';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo' },
  spec: {
    rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 8080 } } } }] } }],
  },
};
/** Screenshots go here (never into the repository): CI can keep the folder as an artifact. */
const shots = process.env.BATON_ARTIFACTS_DIR ?? join(tmpdir(), 'baton-dashboard-screenshots');

/** The step labels of a timeline as the browser laid them out, and every pair that overlaps. */
async function overlappingLabels(page: Page, scope: string): Promise<{ count: number; overlaps: string[] }> {
  const boxes = await page.$$eval(`${scope} svg.timeline .marks text`, (texts) =>
    texts.map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
  const overlaps: string[] = [];
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${a.text} / ${b.text}`);
    }
  }
  return { count: boxes.length, overlaps };
}

describe('baton dashboard in Chromium over a paused canary on kubesim', {
  timeout: 300_000,
  ...kubesimOnly("kubesim's ingress proxy stands in for ingress-nginx"),
}, () => {
  let t: TestCluster;
  let browser: Browser;
  let server: DashboardServer;
  let backend: LocalBackend;
  const state = (): string => join(t.dir, 'state');
  const journal = (): FileJournal => new FileJournal({ dir: state() });
  const nginx = () =>
    createRouter(t.kube, {
      kind: 'nginx-ingress',
      namespace: 'default',
      stableService: 'demo',
      canaryService: 'demo-canary',
      port: 8080,
      ingress: 'demo',
    });
  const image = async (name: string): Promise<string | undefined> =>
    (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' }))?.spec.template.spec
      .containers[0]?.image;

  /** A canary of `to` that sets 50% and waits for a human: the run ends `paused`, its record saved. */
  async function pausedCanary(name: string, to: string, from: string): Promise<string> {
    const path = await writeSpec(t.dir, name, [...demoManifests({ image: from, replicas: 1 }), ingress], {
      image: { ref: to },
      strategy: { kind: 'canary', canary: { steps: [{ setWeight: 50 }, { pause: {} }, { analysis: { seconds: 3, maxErrorRate: 0 } }] } },
      traffic: { router: 'nginx-ingress', ingress: 'demo' },
      probe: { url: t.cluster.ingressUrl, rps: 40 },
    });
    const prepared = await prepareFile(path, t.kube);
    const result = await runPrepared({
      kube: t.kube,
      prepared,
      stateDir: state(),
      tailMs: 2500,
      engine: { journal: journal(), lock: new LeaseLock(t.kube), registry: stepRegistry(t.kube) },
    });
    assert.equal(result.outcome.status, 'paused', result.outcome.reason);
    return result.outcome.runId;
  }

  before(async () => {
    await mkdir(shots, { recursive: true });
    browser = await launchChromium();
    t = await startTestCluster();
    await applyAndWait(t.kube, [...demoManifests({ image: 'demo/app:v1', replicas: 1 }), ingress]);
    backend = new LocalBackend({
      journal: journal(),
      kube: t.kube,
      lock: new LeaseLock(t.kube),
      registry: stepRegistry(t.kube),
      stateDir: state(),
    });
    server = await startDashboardServer({ backend });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await backend?.close();
    await t?.stop();
  });

  let runA = '';
  let runB = '';

  test('the page shows the paused run and its measured split; Promote completes it', async () => {
    runA = await pausedCanary('a', 'demo/app:v2', 'demo/app:v1');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.pageUrl);
    assert.equal(new URL(page.url()).hash, '#/', 'the token is taken out of the address bar');
    await page.locator(`.app[data-app="demo"] a.run-link`, { hasText: runA }).click();
    await page.locator('[data-testid="run-status"]', { hasText: 'paused' }).waitFor();
    const set = await page.locator('[data-testid="split-set"]').innerText();
    assert.match(set, /stable side: v1 50%/);
    assert.match(set, /canary side: v2 50%/);
    const measured = await page.locator('[data-testid="split-measured"] [data-version]').allInnerTexts();
    const share = Object.fromEntries(
      measured.map((s) => {
        const m = /^(\S+) ([\d.]+)%$/.exec(s.trim());
        return [m?.[1], Number(m?.[2])];
      }),
    );
    assert.ok((share.v1 ?? 0) > 20 && (share.v2 ?? 0) > 20, `measured split ${JSON.stringify(share)}`);
    assert.equal(await page.locator('[data-testid="chart-versions"] canvas').count(), 1, 'the requests/s chart is drawn');
    await page.locator('[data-testid="timeline"] svg.timeline').waitFor();
    assert.deepEqual((await overlappingLabels(page, '[data-testid="timeline"]')).overlaps, []);
    await page.screenshot({ path: join(shots, 'dashboard-run-paused.png'), fullPage: true });

    await page.locator('button[data-action="promote"]').click();
    const consequence = await page.locator('[data-testid="consequence"]').innerText();
    assert.match(consequence, /Approves .* and runs the \d+ remaining steps/);
    await page.screenshot({ path: join(shots, 'dashboard-confirm-promote.png') });
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="run-status"]', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
    assert.equal(await image('demo'), 'demo/app:v2');
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
    await page.locator('[data-testid="activity"]', { hasText: 'promote: run succeeded' }).waitFor();
    await page.screenshot({ path: join(shots, 'dashboard-run-succeeded.png'), fullPage: true });
    await page.goto(`${server.url}#/`);
    await page.locator('.app[data-app="demo"] table.releases').waitFor();
    await page.screenshot({ path: join(shots, 'dashboard-apps.png'), fullPage: true });
    await page.close();
  });

  test('a wrong token is refused: the page says so and nothing changes', async () => {
    runB = await pausedCanary('b', 'demo/app:v3', 'demo/app:v2');
    const before = (await journal().read(runB)).length;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}#token=not-the-token`);
    await page.locator('.banner.bad', { hasText: 'wrong dashboard token' }).waitFor();
    const status = await page.evaluate(
      async (id) =>
        (
          await fetch(`api/runs/${id}/promote`, {
            method: 'POST',
            headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      runB,
    );
    assert.equal(status, 401);
    const noType = await page.evaluate(
      async ([id, token]) =>
        (
          await fetch(`api/runs/${id}/promote`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
            body: '{}',
          })
        ).status,
      [runB, server.token] as const,
    );
    assert.equal(noType, 415, 'a form-like post is refused even with the token');
    assert.equal((await journal().read(runB)).length, before);
    await page.close();
  });

  test('Abort rolls the other run back; a stale page pressing Promote on it is told it ended', async () => {
    // The stale page never hears the run change: its event stream is cut.
    const stale = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await stale.route('**/api/events**', (route) => route.abort());
    await stale.goto(server.pageUrl);
    await stale.goto(`${server.url}#/runs/${runB}`);
    await stale.locator('[data-testid="run-status"]', { hasText: 'paused' }).waitFor();

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.pageUrl);
    await page.goto(`${server.url}#/runs/${runB}`);
    await page.locator('[data-testid="run-status"]', { hasText: 'paused' }).waitFor();
    await page.locator('button[data-action="abort"]').click();
    assert.match(await page.locator('[data-testid="consequence"]').innerText(), /Rolls back: undoes the \d+ completed steps/);
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="run-status"]', { hasText: 'rolled-back' }).waitFor({ timeout: 120_000 });
    assert.equal(await image('demo'), 'demo/app:v2', 'stable still runs v2');
    assert.deepEqual(await nginx().current(), { weight: 0, route: null, precision: 'exact' });
    await page.locator('[data-testid="timeline"] .event-rollback-finished').waitFor();
    assert.deepEqual((await overlappingLabels(page, '[data-testid="timeline"]')).overlaps, []);
    await page.screenshot({ path: join(shots, 'dashboard-run-rolled-back.png'), fullPage: true });

    const entries = (await journal().read(runB)).length;
    await stale.locator('button[data-action="promote"]').click();
    await stale.locator('[data-testid="confirm"]').click();
    const refusal = await stale.locator('[data-testid="action-error"]').innerText();
    assert.match(refusal, /cannot promote run .*: the run already ended rolled-back/);
    assert.match(refusal, /Nothing was changed/);
    assert.equal((await journal().read(runB)).length, entries, 'the refused promote wrote nothing');
    await stale.close();
    await page.close();
  });

  test('an unknown run id and a run deleted while open get a clear message', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.pageUrl);
    await page.goto(`${server.url}#/runs/no-such-run-42`);
    assert.match(await page.locator('[data-testid="run-not-found"]').innerText(), /there is no run no-such-run-42/);

    await page.goto(`${server.url}#/runs/${runA}`);
    await page.locator('[data-testid="run-status"]', { hasText: 'succeeded' }).waitFor();
    await rm(join(state(), 'runs', `${runA}.jsonl`));
    await rm(join(state(), 'index', `${runA}.json`), { force: true });
    assert.match(await page.locator('[data-testid="run-gone"]').innerText(), /no longer exists/);
    await page.close();
  });

  test('the html report at 1400 px: step labels never overlap, rollback marked', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    for (const [runId, name] of [
      [runA, 'report-promoted'],
      [runB, 'report-rolled-back'],
    ] as const) {
      const record = JSON.parse(await readFile(join(state(), 'reports', `${runId}.json`), 'utf8')) as RunRecord;
      const file = join(shots, `${name}.html`);
      await writeFile(file, renderHtml(record));
      await page.goto(`file://${file}`);
      const labels = await overlappingLabels(page, 'body');
      assert.ok(labels.count >= 5, `${labels.count} labels on the timeline`);
      assert.deepEqual(labels.overlaps, [], `${name}: labels overlap`);
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    }
    assert.equal(await page.locator('svg.timeline .event-rollback-started').count(), 1);
    assert.equal(await page.locator('svg.timeline .event-rollback-finished').count(), 1);
    console.log(`screenshots: ${shots}`);
    await page.close();
  });
});
