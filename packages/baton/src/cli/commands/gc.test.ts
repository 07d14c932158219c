import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.js';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    cwd,
    env: {},
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

const spec = (gc: string) => `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: work
manifests: [k8s]
image: { ref: "demo/worker:v2" }
strategy:
  kind: rainbow
${gc}`;

test('baton gc: bad input (no rainbow.gc, a bad --min-age) is exit 2 before any connection', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-gc-cli-'));
  try {
    await writeFile(join(dir, 'no-gc.yaml'), spec(''));
    const missing = await cli(['gc', '-f', 'no-gc.yaml', '--kubeconfig', '/nonexistent'], dir);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, /strategy\.rainbow\.gc is not set/);
    await writeFile(join(dir, 'gc.yaml'), spec('  rainbow: { gc: { prometheusUrl: "http://127.0.0.1:9", activeTasksQuery: "sum(x)" } }'));
    const badAge = await cli(['gc', '-f', 'gc.yaml', '--min-age', 'an hour', '--kubeconfig', '/nonexistent', '-o', 'json'], dir);
    assert.equal(badAge.code, 2, badAge.out);
    assert.match(badAge.out, /"code": "USAGE"/);
    const badSpec = await cli(['gc', '-f', 'gc.yaml', '--kubeconfig', '/nonexistent'], dir);
    assert.equal(badSpec.code, 5, `${badSpec.err} (unreachable: the kubeconfig is missing)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
