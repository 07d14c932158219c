// Every JSON document the CLI prints carries apiVersion and kind and matches its documented JSON
// Schema (docs/json/), so scripts can rely on the shapes docs/json-output.md describes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputKinds } from './io.js';
import { runCli } from './main.js';
import { assertOutputKind, outputSchema, repoRoot } from './testing/output-schemas.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    cwd: repoRoot,
    env: {},
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

test('every output kind has a JSON Schema in docs/json and a row in docs/json-output.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs/json-output.md'), 'utf8');
  for (const kind of outputKinds) {
    const schema = outputSchema(kind) as { properties?: { kind?: { const?: string } } };
    assert.equal(schema.properties?.kind?.const, kind, `docs/json/${kind}.schema.json names its kind`);
    assert.match(doc, new RegExp(`\\| \`${kind}\` \\|`), `docs/json-output.md documents ${kind}`);
  }
});

test('an error in JSON mode is an Error document with the code and the fix', async () => {
  const { code, out } = await cli([
    'plan',
    '--spec',
    'packages/baton/src/cli/testdata/broken-baton.yaml',
    '--kubeconfig',
    '/nonexistent',
    '-o',
    'json',
  ]);
  assert.equal(code, 2);
  const document = JSON.parse(out) as { error: { code: string } };
  assertOutputKind(document, 'Error');
  assert.equal(document.error.code, 'SPEC_INVALID');
});

test('baton check -o json is a CheckResult', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-json-'));
  try {
    await writeFile(join(dir, '0001_rename.sql'), 'ALTER TABLE users RENAME COLUMN name TO full_name;\n');
    const { code, out } = await cli(['check', '--migrations', dir, '-o', 'json']);
    assert.equal(code, 1);
    assertOutputKind(JSON.parse(out), 'CheckResult');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a wrong document fails its schema (the check can fail)', () => {
  assert.throws(
    () => assertOutputKind({ apiVersion: 'baton.dev/v1alpha1', kind: 'Error', error: { message: 'no code' } }, 'Error'),
    /not a valid Error/,
  );
  assert.throws(() => assertOutputKind({ apiVersion: 'baton.dev/v1alpha1', kind: 'Plan', steps: [] }, 'Error'), /not a valid Error/);
});

// history, pause, retry and rollback --to-revision print their documented kinds against a cluster
// in verbs.test.ts; their bad input is refused as an Error document before any connection.
test('baton history and rollback --to-revision: bad input is an Error document, exit 2', async () => {
  for (const args of [['history'], ['rollback', '--to-revision', '0', '-f', 'packages/baton/src/cli/testdata/broken-baton.yaml']]) {
    const { code, out } = await cli([...args, '--kubeconfig', '/nonexistent', '-o', 'json']);
    assert.equal(code, 2, out);
    const document = JSON.parse(out) as { error: { code: string } };
    assertOutputKind(document, 'Error');
    assert.equal(document.error.code, 'USAGE');
  }
});
