// `kubesim up` as a newcomer types it: no image map given means the demo app's, and it says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/kubesim.js');

test("kubesim up without --images starts with the demo app's images and says so", { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-up-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [bin, 'up', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('kubesim is up')) done();
      });
      child.on('exit', (code) => fail(new Error(`kubesim exited ${code}: ${out}`)));
    });
    assert.match(out, /no --images given: using the demo app's image map \(.*demo-app[/\\]images\.yaml\)/);
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig);
    const nodes = await config.makeApiClient(CoreV1Api).listNode();
    assert.equal(nodes.items.length, 1);
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    await rm(dir, { recursive: true, force: true });
  }
});

test('kubesim up --stop-when-stdin-closes stops as on SIGTERM when the process that owns it goes away', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-up-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [bin, 'up', '--kubeconfig', kubeconfig, '--stop-when-stdin-closes'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    let out = '';
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('kubesim is up')) done();
      });
      void exited.then((code) => fail(new Error(`kubesim exited ${code} before it was up: ${out}`)));
    });
    // A parent that dies closes the pipe, however it died; ending it here is the same to kubesim.
    child.stdin.end();
    assert.equal(await exited, 0, `kubesim stopped cleanly: ${out}`);
    assert.match(out, /stopping kubesim/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
