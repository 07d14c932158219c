import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, IMAGE_V1, type ConformanceContext, type Scenario } from './scenarios.js';

/**
 * `kubectl port-forward` conformance: what a user sees from kubectl (1.32: SPDY tunnelled over a
 * WebSocket) against the cluster's pods/portforward subresource. The pod is busybox's httpd on
 * 8080, bound to the pod IP (from the downward API) so it also works where pods share a host
 * network namespace, as in kubesim.
 */
const answer = 'port-forward-ok';

function fail(msg: string): never {
  throw new Error(msg);
}

/** A running `kubectl port-forward`: its local port and everything it printed so far. */
interface Forward {
  port: number;
  output(): string;
  child: ChildProcess;
}

function portForward(kubeconfigPath: string, namespace: string, args: string[], children: ChildProcess[]): Promise<Forward> {
  const child = spawn('kubectl', ['--kubeconfig', kubeconfigPath, '-n', namespace, 'port-forward', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubectl port-forward ${args.join(' ')} did not start: ${out}`)), 20_000);
    const onData = (d: Buffer): void => {
      out += String(d);
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), output: () => out, child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward ${args.join(' ')} exited ${code}: ${out}`));
    });
  });
}

async function body(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) fail(`GET / through the forward answered ${res.status}`);
  return (await res.text()).trim();
}

async function run(ctx: ConformanceContext): Promise<void> {
  const api = connect(ctx.kubeconfig);
  const ns = ctx.namespace;
  const children: ChildProcess[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'conformance-pf-'));
  try {
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, ctx.kubeconfig, { mode: 0o600 });
    await api.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'pf', namespace: ns, labels: { app: 'pf' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'main',
              image: IMAGE_V1,
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              command: [
                'sh',
                '-c',
                `d=/tmp/www-$$; mkdir -p $d && echo ${answer} > $d/index.html && exec httpd -f -p "$POD_IP:8080" -h $d`,
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    });
    await api.core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'pf', namespace: ns }, spec: { selector: { app: 'pf' }, ports: [{ port: 80, targetPort: 'http' }] } },
    });
    const end = Date.now() + ctx.timeoutMs;
    for (;;) {
      const pod = await api.core.readNamespacedPod({ name: 'pf', namespace: ns });
      if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
      if (Date.now() > end) fail(`pod pf not ready: ${JSON.stringify(pod.status?.containerStatuses?.[0]?.state ?? pod.status?.phase)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // kubectl port-forward pod/pf :8080 — a local port that answers with the pod's reply.
    const byPod = await portForward(kubeconfigPath, ns, ['pod/pf', ':8080'], children);
    if ((await body(byPod.port)) !== answer) fail('pod/pf:8080 did not answer with the pod body');
    if ((await body(byPod.port)) !== answer) fail('a second connection over the same port-forward session did not answer');

    // kubectl port-forward svc/pf :80 — kubectl resolves the Service to one of its pods and the
    // targetPort (the tunnel goes to the pod, not through the Service's virtual IP).
    const bySvc = await portForward(kubeconfigPath, ns, ['svc/pf', ':80'], children);
    if ((await body(bySvc.port)) !== answer) fail('svc/pf:80 did not answer with the pod body');

    // A port nothing listens on in the pod: the local connection fails and kubectl prints the
    // error the kubelet sent back (real runtimes add how they dialled; both end "connection refused").
    const closed = await portForward(kubeconfigPath, ns, ['pod/pf', ':9'], children);
    const refused = await body(closed.port).then(
      () => false,
      () => true,
    );
    if (!refused) fail('a forward to a closed port answered');
    const wanted = /an error occurred forwarding \d+ -> 9: error forwarding port 9 to pod [-0-9a-f]+, uid : .*connect: connection refused/;
    for (let i = 0; i < 100 && !wanted.test(closed.output()); i++) await new Promise((r) => setTimeout(r, 100));
    if (!wanted.test(closed.output())) fail(`kubectl did not print the refused-port error; it printed: ${closed.output()}`);

    // The server side keeps serving: a new port-forward to the open port answers.
    const again = await portForward(kubeconfigPath, ns, ['pod/pf', ':8080'], children);
    if ((await body(again.port)) !== answer) fail('after the refused port, pod/pf:8080 no longer answered');
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await api.core.deleteNamespacedService({ name: 'pf', namespace: ns }).catch(() => undefined);
    await api.core.deleteNamespacedPod({ name: 'pf', namespace: ns }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function kubectlMissing(): string | undefined {
  const r = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  return r.status === 0 ? undefined : 'kubectl is not on PATH';
}

export const portForwardScenarios: Scenario[] = [
  {
    name: 'kubectl port-forward: pod/ and svc/ answer; a port nothing listens on gives kubectl\'s "connection refused" error and the server keeps serving',
    needsRunningContainers: true,
    unavailable: kubectlMissing,
    run,
  },
];
