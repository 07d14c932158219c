import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { readHistory } from '../kube/release-history.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');

/**
 * The engine's promise on a real cluster: `baton upgrade` killed with SIGKILL at a step boundary
 * or in the middle of a step, then `baton resume RUN`, ends exactly where an uninterrupted run ends.
 */
describe('SIGKILL baton mid-upgrade, then baton resume (kubesim, real processes)', { timeout: 300_000 }, () => {
  let t: TestCluster;
  let kubeconfig: string;
  before(async () => {
    t = await startTestCluster();
    kubeconfig = join(t.dir, 'kubeconfig');
    await writeFile(kubeconfig, t.cluster.kubeconfig);
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
  });
  after(async () => {
    await t?.stop();
  });

  const image = async () =>
    (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!.spec.template
      .spec.containers[0]!.image;

  /** Runs baton; kills it (SIGKILL) once `killWhen` matches the journal text, after `delayMs`. */
  async function baton(
    args: string[],
    stateDir: string,
    kill?: { when: RegExp; delayMs: number },
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
    const child = spawn(process.execPath, [bin, ...args, '--kubeconfig', kubeconfig, '--state-dir', stateDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    let timer: NodeJS.Timeout | undefined;
    if (kill) {
      timer = setInterval(async () => {
        const journal = await journalText(stateDir);
        if (kill.when.test(journal)) {
          clearInterval(timer);
          setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
        }
      }, 20);
    }
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    clearInterval(timer);
    return { code, signal, out };
  }

  async function journalText(stateDir: string): Promise<string> {
    try {
      const files = await readdir(join(stateDir, 'runs'));
      return (await Promise.all(files.map((f) => readFile(join(stateDir, 'runs', f), 'utf8')))).join('');
    } catch {
      return '';
    }
  }

  async function runId(stateDir: string): Promise<string> {
    const files = await readdir(join(stateDir, 'runs'));
    return files[0]!.replace(/\.jsonl$/, '');
  }

  const cases = [
    { name: 'at the boundary after the config snapshot', when: /"step-finished","stepId":"config:snapshot"/, delayMs: 0 },
    { name: 'in the middle of the rollout', when: /"step-started","stepId":"rollout:demo"/, delayMs: 700 },
    { name: 'right after the rollout finished, before the verification', when: /"step-finished","stepId":"rollout:demo"/, delayMs: 0 },
  ];
  let version = 1;
  for (const c of cases) {
    test(`killed ${c.name}: resume succeeds and the app runs the new version`, async () => {
      const from = `demo/app:v${version}`;
      version = version === 1 ? 2 : 1;
      const to = `demo/app:v${version}`;
      assert.equal(await image(), from);
      const spec = await writeSpec(t.dir, `crash-${version}-${c.delayMs}-${Date.now()}`, demoManifests({ image: 'demo/app:v1' }), {
        image: { ref: to },
        probe: { enabled: false },
        verify: [{ name: 'ready', http: { path: '/ready' } }],
      });
      const stateDir = join(dirname(spec), 'state');
      const killed = await baton(['upgrade', '--spec', spec], stateDir, { when: c.when, delayMs: c.delayMs });
      assert.equal(killed.signal, 'SIGKILL', `baton was killed (it ended with ${killed.code}): ${killed.out.slice(-500)}`);
      const id = await runId(stateDir);
      // The journal still says running; the app's Lease has no live holder: status says interrupted.
      const shown = await baton(['status', id], stateDir);
      assert.equal(shown.code, 3, shown.out);
      assert.match(shown.out, new RegExp(`interrupted: .*continue it with \`baton resume ${id}\``));
      const resumed = await baton(['resume', id, '--output', 'json'], stateDir);
      assert.equal(resumed.code, 0, resumed.out.slice(-1500));
      assert.equal(JSON.parse(resumed.out.slice(resumed.out.indexOf('{'))).status, 'succeeded');
      assert.equal(await image(), to);
      const history = await readHistory(t.kube, 'default', 'demo');
      assert.equal(history.at(-1)?.image, to);
      assert.equal(history.filter((h) => h.runId === id).length, 1, 'the release is recorded once');
    });
  }

  test('killed while undoing a failed upgrade: resume finishes the rollback', async () => {
    const before = await image();
    const spec = await writeSpec(t.dir, `crash-undo-${Date.now()}`, demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v3' },
      probe: { enabled: false },
      verify: [{ name: 'fails', http: { path: '/nope' } }],
    });
    const stateDir = join(dirname(spec), 'state');
    const killed = await baton(['upgrade', '--spec', spec], stateDir, { when: /"undo-started","stepId":"rollout:demo"/, delayMs: 300 });
    assert.equal(killed.signal, 'SIGKILL', killed.out.slice(-500));
    const resumed = await baton(['resume', await runId(stateDir), '--output', 'json'], stateDir);
    assert.equal(resumed.code, 1, resumed.out.slice(-1500));
    assert.equal(JSON.parse(resumed.out.slice(resumed.out.indexOf('{'))).status, 'rolled-back');
    assert.equal(await image(), before);
  });
});
