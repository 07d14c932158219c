import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { runController } from '../../controller/controller.js';
import { serveControllerDashboard } from '../../dashboard/controller-dashboard.js';
import { ClientNodeKubeClient } from '../../kube/client-node-kube-client.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';

const serviceAccountNamespace = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * `baton controller`: runs the in-cluster controller until SIGTERM. In a pod it uses the
 * service account (in-cluster config); elsewhere a kubeconfig. Exits 1 when it loses the leader
 * Lease (as client-go controllers do), so the Deployment restarts it as a follower.
 */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const kubeconfig = options.kubeconfig as string | undefined;
  const kube = new ClientNodeKubeClient({
    fieldManager: 'baton-controller',
    ...(kubeconfig ? { kubeconfigPath: resolve(io.cwd, kubeconfig) } : {}),
    ...(options.context ? { context: options.context as string } : {}),
  });
  const leaseNamespace =
    (options.leaseNamespace as string | undefined) ??
    io.env.POD_NAMESPACE ??
    (await readFile(serviceAccountNamespace, 'utf8').then(
      (s) => s.trim(),
      () => undefined,
    )) ??
    kube.defaultNamespace;
  const identity = (options.identity as string | undefined) ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`;
  const log = (message: string) => io.stderr.write(`${new Date().toISOString()} ${identity}: ${message}\n`);
  const metricsAddress = (options.metricsAddress as string | undefined)?.replace('$(POD_IP)', io.env.POD_IP ?? '127.0.0.1');
  log(`starting (leader Lease ${leaseNamespace}/baton-controller${metricsAddress ? `, metrics on http://${metricsAddress}/metrics` : ''})`);
  const result = await runController({
    kube,
    leaseNamespace,
    identity,
    log,
    signal: io.signal,
    ...(options.namespace ? { watchNamespace: options.namespace as string } : {}),
    ...(metricsAddress ? { metricsAddress } : {}),
    sidecar: (sidecarLog) =>
      serveControllerDashboard(
        {
          kube,
          leaseNamespace,
          identity,
          env: io.env,
          ...(options.namespace ? { watchNamespace: options.namespace as string } : {}),
          ...(typeof options.dashboardAddress === 'string' ? { dashboardAddress: options.dashboardAddress } : {}),
        },
        sidecarLog,
      ),
  });
  log(result.ended === 'lost' ? 'lost the leader Lease: exiting so a restart rejoins as a follower' : 'stopped');
  return result.ended === 'lost' ? exitCodes.failed : exitCodes.ok;
}
