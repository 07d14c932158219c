import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImageMap } from './image-map.js';

test('loads images, resolving relative paths against the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-img-'));
  try {
    const f = join(dir, 'images.yaml');
    await writeFile(
      f,
      'images:\n  "demo/app:v1":\n    entrypoint: [node, dist/server.js]\n    cmd: [./bin/x]\n    env: { V: v1, N: 3 }\n    path: [bin, /abs]\n    workingDir: .\n',
    );
    const m = await loadImageMap(f);
    assert.deepEqual(m['demo/app:v1'], {
      entrypoint: ['node', 'dist/server.js'],
      cmd: [join(dir, 'bin/x')],
      env: { V: 'v1', N: '3' },
      path: [join(dir, 'bin'), '/abs'],
      workingDir: dir,
    });
    await writeFile(f, 'images:\n  a:\n    entrypoint: node\n');
    await assert.rejects(loadImageMap(f), /images\["a"\]\.entrypoint: must be a list of strings/);
    await writeFile(f, 'images:\n  a:\n    entrypont: [x]\n');
    await assert.rejects(loadImageMap(f), /unknown key/);
    await writeFile(f, 'nope: 1\n');
    await assert.rejects(loadImageMap(f), /expected a mapping with key "images"/);
    await assert.rejects(loadImageMap(join(dir, 'missing.yaml')), /cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
