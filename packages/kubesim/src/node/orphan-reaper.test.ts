import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function alive(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('a SIGKILLed Node process still takes its container groups with it', { timeout: 20_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-reaper-'));
  const pidsSeen: number[] = [];
  try {
    const reaperModule = fileURLToPath(new URL('./orphan-reaper.js', import.meta.url));
    const script = join(dir, 'host.mjs');
    // A stand-in kubelet: starts a detached "container" group, registers it, reports its pid.
    await writeFile(
      script,
      `
      import { spawn } from 'node:child_process';
      import { writeFileSync } from 'node:fs';
      import { startOrphanReaper } from ${JSON.stringify(reaperModule)};
      const reaper = startOrphanReaper(${JSON.stringify(dir)}, 'test-id');
      const c = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
      reaper.update([c.pid]);
      // never listed, found by its environment marker
      const m = spawn('/bin/sleep', ['1001'], { detached: true, stdio: 'ignore', env: { KUBESIM_KUBELET_ID: 'test-id' } });
      writeFileSync(${JSON.stringify(join(dir, 'child'))}, c.pid + ' ' + m.pid);
      setInterval(() => {}, 1000);
    `,
    );
    const host = spawn(process.execPath, [script], { stdio: 'ignore' });
    let pids: number[] = [];
    for (let i = 0; i < 100 && pids.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pids = (await readFile(join(dir, 'child'), 'utf8').catch(() => '')).split(' ').filter(Boolean).map(Number);
    }
    pidsSeen.push(...pids);
    const [listed, marked] = pids as [number, number];
    assert.ok(alive(listed) && alive(marked));
    host.kill('SIGKILL');
    for (let i = 0; i < 60 && (alive(listed) || alive(marked)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(listed), false, 'the listed group died with its kubelet');
    assert.equal(alive(marked), false, 'the marked process died with its kubelet');
  } finally {
    // never leave a process behind, even when the assertion failed
    for (const p of pidsSeen) if (alive(p)) process.kill(p, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('kubelet: pods die when the Node process hosting the kubelet is SIGKILLed', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-reaper-'));
  let pid = 0;
  try {
    const harness = fileURLToPath(new URL('./testdata/cluster-harness.js', import.meta.url));
    const script = join(dir, 'host.mjs');
    await writeFile(
      script,
      `
      import { writeFileSync } from 'node:fs';
      import { startCluster, appPod } from ${JSON.stringify(harness)};
      const k = await startCluster();
      await k.create(appPod('victim', { command: ['sh', '-c', 'sleep 1000 & echo $! > ${join(dir, 'pids')}; wait'] }));
      setInterval(() => {}, 1000);
    `,
    );
    // TMPDIR inside our dir: the killed host cannot clean up its own temp dirs.
    const host = spawn(process.execPath, [script], { stdio: 'ignore', env: { ...process.env, TMPDIR: dir } });
    for (let i = 0; i < 600 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pid = Number((await readFile(join(dir, 'pids'), 'utf8').catch(() => '0')).trim());
    }
    assert.ok(pid > 0 && alive(pid), 'the pod runs');
    host.kill('SIGKILL');
    for (let i = 0; i < 60 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(pid), false, 'no orphan survives the kubelet');
  } finally {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
