import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Cluster } from './testdata/cluster-harness.js';
import { appPod, cond, startCluster } from './testdata/cluster-harness.js';

let k: Cluster;
before(async () => {
  k = await startCluster();
});
after(async () => {
  await k?.stop();
});

async function events(file: string): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const m = new Map<string, number>();
  for (const line of text.trim().split('\n').filter(Boolean)) {
    const [t, what] = line.split(' ');
    if (!m.has(what!)) m.set(what!, Number(t));
    const pid = /pid=(\d+)/.exec(line);
    if (pid) m.set('pid', Number(pid[1]));
  }
  return m;
}

// A killed process may linger as a zombie until it is reaped; zombies count as dead.
function alive(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('deletion: readiness keeps being probed, preStop, SIGTERM, SIGKILL at the grace deadline, object removed', {
  timeout: 30_000,
}, async () => {
  const file = `${k.dir}/term-events`;
  await k.create(
    appPod(
      'term',
      {
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 },
        env: [
          { name: 'EVENTS_FILE', value: file },
          { name: 'IGNORE_SIGTERM', value: '1' },
        ],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo "$(date +%s%3N) prestop" >> "$EVENTS_FILE"; sleep 1'] } } },
      },
      { terminationGracePeriodSeconds: 3 },
    ),
  );
  await k.waitFor('term', 'Ready', (p) => cond(p, 'Ready') === 'True');
  await k.del('term');
  // As a real kubelet: the readiness probe still passes during preStop, so the pod stays Ready
  // (kubectl shows 1/1 Terminating); EndpointSlices take it out of rotation as terminating.
  const during = await k.waitFor('term', 'deletionTimestamp seen', (p) => p.metadata.deletionTimestamp !== undefined, 5000);
  assert.equal(cond(during, 'Ready'), 'True', 'still Ready while its probe passes');
  await k.waitGone('term', 15_000);
  const tGone = Date.now();
  const ev = await events(file);
  const prestop = ev.get('prestop'),
    sigterm = ev.get('sigterm');
  assert.ok(prestop && sigterm, `events: ${[...ev.keys()].join(',')}`);
  assert.ok(sigterm - prestop >= 950, `SIGTERM only after preStop finished (${sigterm - prestop}ms)`);
  assert.ok(tGone - prestop >= 2900, `SIGKILL waits for the grace period counted from preStop (${tGone - prestop}ms)`);
  assert.equal(ev.has('exit'), false, 'the app ignored SIGTERM, so it was SIGKILLed');
  assert.equal(alive(ev.get('pid')!), false, 'process is gone');
});

test('a cooperative app exits on SIGTERM before the deadline; preStop sleep action delays SIGTERM', { timeout: 30_000 }, async () => {
  const file = `${k.dir}/term2-events`;
  await k.create(
    appPod(
      'term2',
      {
        env: [
          { name: 'EVENTS_FILE', value: file },
          { name: 'TERM_DELAY_MS', value: '200' },
        ],
        lifecycle: { preStop: { sleep: { seconds: 1 } } },
      },
      { terminationGracePeriodSeconds: 20 },
    ),
  );
  await k.waitFor('term2', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  for (let i = 0; i < 100 && !(await events(file)).has('start'); i++) await new Promise((r) => setTimeout(r, 50));
  const t0 = Date.now();
  await k.del('term2');
  await k.waitGone('term2', 15_000);
  const tGone = Date.now();
  const ev = await events(file);
  assert.ok(ev.get('sigterm')! - t0 >= 900, 'preStop sleep ran before SIGTERM');
  assert.ok(ev.get('exit')! - ev.get('sigterm')! >= 150, 'the app drained for TERM_DELAY_MS');
  assert.ok(tGone - t0 < 10_000, 'did not wait for the 20s grace period');
});

test('force deletion (grace 0): the object goes at once, the process gets SIGTERM and then SIGKILL after 2s', {
  timeout: 30_000,
}, async () => {
  const file = `${k.dir}/force-events`;
  await k.create(
    appPod(
      'forced',
      {
        env: [
          { name: 'EVENTS_FILE', value: file },
          { name: 'IGNORE_SIGTERM', value: '1' },
        ],
      },
      { terminationGracePeriodSeconds: 30 },
    ),
  );
  await k.waitFor('forced', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  let pid: number | undefined;
  for (let i = 0; i < 200 && !pid; i++) {
    pid = (await events(file)).get('pid');
    if (!pid) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(pid);
  const t0 = Date.now();
  await k.del('forced', 0);
  await k.waitGone('forced', 2000);
  while (alive(pid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  const tDead = Date.now();
  assert.equal(alive(pid), false);
  assert.ok((await events(file)).has('sigterm'), 'SIGTERM came first');
  assert.ok(tDead - t0 >= 1900 && tDead - t0 < 8000, `SIGKILL after the 2s minimum, not the 30s grace (${tDead - t0}ms)`);
});

test("readiness during termination follows the probe (the default, as on a real node); 'not-ready' drops it at once", {
  timeout: 40_000,
}, async () => {
  await k.create(
    appPod(
      'keeps',
      {
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
        lifecycle: { preStop: { sleep: { seconds: 4 } } },
      },
      { terminationGracePeriodSeconds: 10 },
    ),
  );
  const p = await k.waitFor('keeps', 'Ready', (p) => cond(p, 'Ready') === 'True');
  await k.del('keeps');
  await new Promise((r) => setTimeout(r, 1200));
  const during = await k.get('keeps');
  assert.ok(during?.metadata.deletionTimestamp);
  assert.equal(cond(during!, 'Ready'), 'True', 'still Ready during preStop');
  await k.http(p, '/set?ready=0');
  await k.waitFor('keeps', 'Ready=False once the probe fails', (p) => cond(p, 'Ready') === 'False', 3000);
  await k.waitGone('keeps', 15_000);

  const legacy = await startCluster({ readinessWhileTerminating: 'not-ready' });
  try {
    await legacy.create(
      appPod('drops', {
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 },
        lifecycle: { preStop: { sleep: { seconds: 3 } } },
      }),
    );
    await legacy.waitFor('drops', 'Ready', (p) => cond(p, 'Ready') === 'True');
    const t0 = Date.now();
    await legacy.del('drops');
    await legacy.waitFor('drops', 'Ready=False at once', (p) => cond(p, 'Ready') === 'False', 2500);
    assert.ok(Date.now() - t0 < 2500);
  } finally {
    await legacy.stop();
  }
});
