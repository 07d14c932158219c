// A layer calls only the layers below it: no two folders of packages/*/src may depend on each
// other, directly or around a loop. dependency-cruiser finds the cycles (.dependency-cruiser.cjs);
// the cycles already known when the check was added are listed in
// .dependency-cruiser-known-violations.json and shrink as they are fixed; any other fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// A root devDependency; its package exports no bin path, so it is found where npm installs it.
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  cycle?: Array<{ name: string }>;
}

/** The folder cycles dependency-cruiser reports for `paths` (relative to `cwd`), each as a sorted key. */
async function folderCycles(cwd: string, paths: string[]): Promise<string[]> {
  const output = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, [cli, ...paths, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', fail);
    child.on('close', () =>
      out.trim().startsWith('{') ? done(out) : fail(new Error(`dependency-cruiser printed no result: ${err.slice(-1000)}`)),
    );
  });
  const result = JSON.parse(output) as { summary: { violations: Violation[] } };
  return cycleKeys(result.summary.violations);
}

function cycleKeys(violations: readonly Violation[]): string[] {
  const keys = violations
    .filter((v) => v.rule.name === 'no-folder-cycles' && v.cycle)
    .map((v) =>
      (v.cycle ?? [])
        .map((c) => c.name)
        .sort()
        .join(' <-> '),
    );
  return [...new Set(keys)].sort();
}

test('no folder of packages/*/src depends on itself around a loop (beyond the known, listed ones)', { timeout: 120_000 }, async () => {
  const known = new Set(
    cycleKeys(JSON.parse(await readFile(join(root, '.dependency-cruiser-known-violations.json'), 'utf8')) as Violation[]),
  );
  const found = await folderCycles(root, ['packages/baton/src', 'packages/kubesim/src', 'packages/demo-app/src']);
  assert.deepEqual(
    found.filter((c) => !known.has(c)),
    [],
    'new folder cycles: move the shared piece to the lower folder',
  );
});

test('the check sees a cycle made of type-only imports between two folders', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-cycles-'));
  try {
    await mkdir(join(dir, 'src', 'a'), { recursive: true });
    await mkdir(join(dir, 'src', 'b'), { recursive: true });
    await writeFile(join(dir, 'src', 'a', 'x.ts'), "import { y } from '../b/y.js';\nexport const x = (): number => y;\n");
    await writeFile(join(dir, 'src', 'b', 'y.ts'), "import type { x } from '../a/x.js';\nexport const y = 1;\nexport type X = typeof x;\n");
    assert.deepEqual(await folderCycles(dir, ['src']), ['src/a <-> src/b']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
