import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { Cluster } from './testdata/cluster-harness.js';
import { appPod, cond, startCluster, TEST_IMAGE } from './testdata/cluster-harness.js';
import type { Container } from './pod-types.js';

let k: Cluster;
before(async () => {
  k = await startCluster();
});
after(async () => {
  await k?.stop();
});

// A sidecar: the test app on port 8081, ready via /ready.
function sidecar(events?: string): Container {
  return {
    name: 'side',
    image: TEST_IMAGE,
    restartPolicy: 'Always',
    env: [
      { name: 'PORT', value: '8081' },
      ...(events
        ? [
            { name: 'EVENTS_FILE', value: events },
            { name: 'TERM_DELAY_MS', value: '100' },
          ]
        : []),
    ],
    readinessProbe: { httpGet: { path: '/ready', port: 8081 }, periodSeconds: 1 },
    // Without a startup probe a sidecar counts as started once its process runs, before it
    // listens (as in Kubernetes), and a dependent init container could race it.
    startupProbe: { tcpSocket: { port: 8081 }, periodSeconds: 1, failureThreshold: 30 },
  };
}

// An init container that succeeds only if the sidecar already answers.
const probeSidecar: Container = {
  name: 'needs-side',
  image: TEST_IMAGE,
  command: [
    process.execPath,
    '-e',
    "require('net').connect(8081, process.env.POD_IP).on('connect', () => process.exit(0)).on('error', () => process.exit(1))",
  ],
};

test('native sidecar: starts before later init containers, keeps running, counts for readiness', { timeout: 40_000 }, async () => {
  const pod = appPod('sc', { readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 } }, { restartPolicy: 'Always' });
  pod.spec.initContainers = [sidecar(), probeSidecar];
  await k.create(pod);
  const p = await k.waitFor('sc', 'Ready', (p) => cond(p, 'Ready') === 'True', 20_000);
  const [side, init] = p.status!.initContainerStatuses!;
  assert.ok(side?.state.running, 'the sidecar keeps running');
  assert.equal(side?.started, true);
  assert.equal(init?.state.terminated?.exitCode, 0, 'the later init container saw the sidecar');
  assert.equal(init?.restartCount, 0);
  assert.equal(cond(p, 'Initialized'), 'True');
  // the sidecar's readiness is the pod's readiness too
  await new Promise<void>((resolve, reject) => {
    request({ host: p.status!.podIP, port: 8081, path: '/set?ready=0' }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
  await k.waitFor('sc', 'not Ready via the sidecar', (p) => cond(p, 'Ready') === 'False');
  await k.del('sc', 0);
});

test('native sidecar in a Job-style pod: the pod Succeeds and the sidecar is stopped after the main container', {
  timeout: 40_000,
}, async () => {
  const events = `${k.dir}/side-events`;
  const pod = appPod(
    'scjob',
    {
      env: [
        { name: 'MODE', value: 'job' },
        { name: 'DELAY_MS', value: '300' },
      ],
    },
    { restartPolicy: 'Never' },
  );
  pod.spec.initContainers = [sidecar(events)];
  await k.create(pod);
  const p = await k.waitFor('scjob', 'Succeeded', (p) => p.status?.phase === 'Succeeded', 20_000);
  assert.equal(p.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 0);
  const side = await k.waitFor(
    'scjob',
    'sidecar terminated',
    (p) => p.status?.initContainerStatuses?.[0]?.state.terminated !== undefined,
    10_000,
  );
  assert.equal(side.status?.initContainerStatuses?.[0]?.restartCount, 0, 'a stopped sidecar is not restarted');
  assert.match(await readFile(events, 'utf8'), /sigterm/);
  await k.del('scjob', 0);
});
