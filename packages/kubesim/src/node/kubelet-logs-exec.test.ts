import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from './testdata/cluster-harness.js';
import { appPod, startCluster } from './testdata/cluster-harness.js';

let k: Cluster;
let kubeconfigFile: string;
before(async () => {
  k = await startCluster();
  kubeconfigFile = `${k.dir}/kubeconfig`;
  await writeFile(kubeconfigFile, k.api.kubeconfig());
});
after(async () => {
  await k?.stop();
});

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/kubectl', ['--kubeconfig', kubeconfigFile, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function clientExec(
  pod: string,
  command: string[],
  stdin?: string,
): Promise<{
  stdout: string;
  stderr: string;
  status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
}> {
  const kc = new KubeConfig();
  kc.loadFromString(k.api.kubeconfig());
  const out = new PassThrough(),
    err = new PassThrough();
  let stdout = '',
    stderr = '';
  out.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  err.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const input = stdin === undefined ? null : new PassThrough();
  return new Promise((resolve, reject) => {
    new Exec(kc)
      .exec('default', pod, 'app', command, out, err, input, false, (status) => {
        setImmediate(() => resolve({ stdout, stderr, status: status as never }));
      })
      .then(() => {
        if (input) input.end(stdin);
      }, reject);
  });
}

test('logs: through the API server (tail, previous, follow) and kubectl logs', { timeout: 40_000 }, async () => {
  await k.create(
    appPod('logs', {
      command: [
        'sh',
        '-c',
        'echo start $(POD_NAME); echo warn >&2; i=0; while [ $i -lt 40 ]; do echo tick $i; i=$((i+1)); sleep 0.1; done; exit 1',
      ],
    }),
  );
  const p = await k.waitFor('logs', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  assert.ok(p);
  // follow streams lines as they come until the container exits
  const followed = await kubectl(['logs', '-f', 'logs']);
  assert.equal(followed.code, 0, followed.stderr);
  // stdout and stderr are separate pipes, so only each stream's own order is defined
  assert.match(followed.stdout, /^start logs\n/);
  assert.match(followed.stdout, /\nwarn\n/);
  assert.match(followed.stdout, /tick 39\n$/);
  await k.waitFor(
    'logs',
    'restarted',
    (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p.status?.containerStatuses?.[0]?.state.running !== undefined,
  );
  const prev = await k.client.request('GET', '/api/v1/namespaces/default/pods/logs/log?previous=true&tailLines=2');
  assert.equal(prev.status, 200, prev.text);
  assert.equal(prev.text, 'tick 38\ntick 39\n');
  const ts = await kubectl(['logs', 'logs', '--timestamps', '--tail=1', '--previous']);
  assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick 39\n$/);
  await k.del('logs', 0);
});

test('exec: client-node Exec and kubectl exec (stdout, stderr, stdin, exit codes, not found)', { timeout: 40_000 }, async () => {
  await k.create(appPod('ex', { workingDir: '/tmp', env: [{ name: 'GREETING', value: 'hello $(POD_NAME)' }] }));
  await k.waitFor('ex', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);

  const ok = await clientExec('ex', ['sh', '-c', 'echo "$GREETING $POD_IP"; pwd; echo oops >&2']);
  assert.match(ok.stdout, /^hello ex 127\.244\.\d+\.\d+\n\/tmp\n$/);
  assert.equal(ok.stderr, 'oops\n');
  assert.equal(ok.status.status, 'Success');

  const bad = await clientExec('ex', ['sh', '-c', 'exit 3']);
  assert.equal(bad.status.reason, 'NonZeroExitCode');
  assert.equal(bad.status.details?.causes?.[0]?.message, '3');

  const cat = await clientExec('ex', ['cat'], 'from stdin');
  assert.equal(cat.stdout, 'from stdin');

  const r = await kubectl(['exec', 'ex', '--', 'sh', '-c', 'echo out; echo err >&2; exit 5']);
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stdout, 'out\n');
  assert.match(r.stderr, /err\n/);
  assert.match(r.stderr, /command terminated with exit code 5/);

  const piped = await new Promise<string>((resolve) => {
    const child = execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfigFile, 'exec', '-i', 'ex', '--', 'tr', 'a-z', 'A-Z'],
      { timeout: 20_000 },
      (_e, stdout) => resolve(stdout),
    );
    child.stdin!.end('shout\n');
  });
  assert.equal(piped, 'SHOUT\n');

  const missing = await kubectl(['exec', 'ex', '--', 'no-such-binary']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /executable file not found in \$PATH/);
  await k.del('ex', 0);
});

test('stats/summary reports CPU and RSS of pod processes', { timeout: 20_000 }, async () => {
  await k.create(appPod('stats'));
  const p = await k.waitFor('stats', 'running', (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  await k.waitHttp(p, '/health');
  const node = await k.client.request<{ status: { daemonEndpoints: { kubeletEndpoint: { Port: number } } } }>(
    'GET',
    '/api/v1/nodes/kubesim-node',
  );
  const port = node.body!.status.daemonEndpoints.kubeletEndpoint.Port;
  const { request } = await import('node:http');
  const fetchSummary = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/stats/summary', headers: { authorization: `Bearer ${k.api.token}` } }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => {
          b += c.toString();
        });
        res.on('end', () => resolve(b));
      })
        .on('error', reject)
        .end();
    });
  await fetchSummary();
  await new Promise((r) => setTimeout(r, 200));
  const body = await fetchSummary();
  const summary = JSON.parse(body) as {
    pods: { podRef: { name: string }; memory: { rssBytes: number }; cpu: { usageCoreNanoSeconds: number; usageNanoCores?: number } }[];
  };
  const pod = summary.pods.find((x) => x.podRef.name === 'stats');
  assert.ok(pod, body);
  assert.ok(pod.memory.rssBytes > 10_000_000, `a node process has > 10MB RSS, got ${pod.memory.rssBytes}`);
  assert.ok(pod.cpu.usageCoreNanoSeconds > 0);
  assert.equal(typeof pod.cpu.usageNanoCores, 'number', 'a second sample gives a rate');
  assert.ok(p);
  await k.del('stats', 0);
});
