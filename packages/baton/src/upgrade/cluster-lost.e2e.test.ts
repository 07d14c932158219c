import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyAndWait, demoManifests, kubesimOnly, startTestCluster, writeSpec } from '../testing/demo-cluster.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');

/**
 * The cluster goes away in the middle of the rollout (kubesim stopped). baton cannot act and
 * cannot undo: the run is interrupted, not "nothing was changed". Exit 3 (a human continues it),
 * the journal keeps the steps that ran, and the message says how to continue.
 */
test('the cluster lost mid-rollout: exit 3, interrupted, with the resume command', {
  timeout: 180_000,
  ...kubesimOnly('stops the cluster'),
}, async () => {
  const t = await startTestCluster();
  try {
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
    const spec = await writeSpec(t.dir, 'lost', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      probe: { enabled: false },
    });
    const stateDir = join(dirname(spec), 'state');
    const journal = async (): Promise<string> => {
      const files = await readdir(join(stateDir, 'runs')).catch(() => []);
      return (await Promise.all(files.map((f) => readFile(join(stateDir, 'runs', f), 'utf8')))).join('');
    };
    const child = spawn(
      process.execPath,
      [bin, 'upgrade', '--spec', spec, '--kubeconfig', join(t.dir, 'kubeconfig'), '--state-dir', stateDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (;;) {
      if ((await journal()).includes('"step-started","stepId":"rollout:demo"')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.cluster.stop();
    const code = await exited;
    assert.equal(code, 3, out.slice(-2000));
    const runId = /run (\S+) stopped where it was and is interrupted/.exec(out)?.[1];
    assert.ok(runId, out.slice(-2000));
    assert.match(out, new RegExp(`baton resume ${runId}`));
    assert.doesNotMatch(out, /nothing was changed/);
    const text = await journal();
    assert.match(text, /"step-finished","stepId":"apply:objects"/, 'the steps that ran are journaled');
    assert.doesNotMatch(text, /"run-finished"/, 'the run is not finished: resume continues it');
  } finally {
    await t.stop();
  }
});
