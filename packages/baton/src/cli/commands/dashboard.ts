import { resolve } from 'node:path';
import { LocalBackend } from '../../dashboard/local-backend.js';
import { isLoopback, startDashboardServer } from '../../dashboard/dashboard-server.js';
import { BatonError } from '../../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { stepRegistry } from '../../upgrade/step-registry.js';
import { dashboardTokenSecret, readDashboardToken } from '../../controller/dashboard-token.js';
import { commandContext } from './context.js';

/**
 * `baton dashboard`: a local web page of the apps, their releases and runs, one run live (steps,
 * traffic split, probe charts, gates), with Promote / Abort / Retry / Rollback behind the token
 * printed here. Binds 127.0.0.1 on a free port unless told otherwise; runs until Ctrl-C.
 */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  if (options.inCluster === true) return inCluster(options, io);
  const address = String(options.address ?? '127.0.0.1');
  const port = Number(options.port ?? 0); // checked by portOption while argv was read
  const ctx = commandContext({ ...options, output: 'json' }, io);
  const { kube, journal, lock } = ctx.ports;
  const backend = new LocalBackend({
    journal,
    kube,
    lock,
    registry: stepRegistry(kube, { env: io.env }),
    env: io.env,
    signal: io.signal,
    ...(options.journal === 'configmap' ? {} : { stateDir: ctx.stateDir }),
  });
  const server = await startDashboardServer({ backend, address, port }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  if (options.output === 'json') printJson(io, 'Dashboard', { url: server.url, pageUrl: server.pageUrl, stateDir: ctx.stateDir });
  else {
    io.stdout.write(`baton dashboard: open ${server.pageUrl}\n`);
    io.stdout.write(
      `  journal: ${options.journal === 'configmap' ? `ConfigMaps in ${kube.defaultNamespace}` : resolve(ctx.stateDir)}; cluster from your kubeconfig\n`,
    );
    io.stdout.write(
      '  the token after # lets the page act (promote, abort, retry, rollback); keep it to yourself. Ctrl-C stops the dashboard.\n',
    );
  }
  if (!isLoopback(address)) {
    io.stderr.write(
      `warning: listening on ${address}, beyond this machine: anyone who can reach it and has the token can promote, abort and roll back. The connection is plain HTTP.\n`,
    );
  }
  await new Promise<void>((resolveWait) => {
    if (io.signal.aborted) resolveWait();
    io.signal.addEventListener('abort', () => resolveWait(), { once: true });
  });
  await server.close();
  await backend.close();
  return exitCodes.ok;
}

/**
 * `baton dashboard --in-cluster`: the controller serves the page in its pod; this prints how to
 * reach it (the port-forward and the URL with the token from Secret baton-dashboard). It starts
 * nothing and changes nothing; the token is printed only because the user asked for it.
 */
async function inCluster(options: Record<string, unknown>, io: CliIO): Promise<number> {
  const namespace = String(options.controllerNamespace ?? 'baton-system');
  const port = 8080;
  const { kube } = commandContext({ ...options, output: 'json' }, io).ports;
  const token = await readDashboardToken(kube, namespace);
  if (token === undefined) {
    throw new BatonError(
      'DASHBOARD_NOT_SERVED',
      `no dashboard token in Secret ${namespace}/${dashboardTokenSecret}: the controller has not served its dashboard yet`,
      {
        hint: `install the controller (baton install --apply, or kubectl apply -k config/) and check its pods: kubectl -n ${namespace} get pods,secrets`,
      },
    );
  }
  const portForward = ['kubectl', '-n', namespace, 'port-forward', 'deployment/baton-controller', `${port}:${port}`];
  const pageUrl = `http://127.0.0.1:${port}/#token=${token}`;
  if (options.output === 'json') printJson(io, 'InClusterDashboard', { namespace, portForward, pageUrl });
  else {
    io.stdout.write(
      `The controller serves the dashboard in its pod (127.0.0.1:${port} there). Reach it with:\n\n  ${portForward.join(' ')}\n\nthen open ${pageUrl}\n`,
    );
    io.stdout.write('The token after # lets the page promote, abort and retry: keep it to yourself.\n');
  }
  return exitCodes.ok;
}
