import type { KubeClient } from '../kube/kube-client.js';
import { dashboardTokenSecret, dashboardTokenWhere, ensureDashboardToken } from '../controller/dashboard-token.js';
import { isLoopback, startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { ReleaseBackend } from './release-backend.js';

export interface ControllerDashboardOptions {
  kube: KubeClient;
  /** The controller's namespace: its token Secret lives there. */
  leaseNamespace: string;
  /** Only this namespace's Releases; default every namespace. */
  watchNamespace?: string;
  /** The pod's name, for the port-forward hint in the log. */
  identity: string;
  /**
   * host:port, or 'off'. Default: $BATON_DASHBOARD_ADDRESS, which the install sets to
   * 127.0.0.1:8080 (the pod's loopback: `kubectl port-forward` reaches it, the pod network does
   * not); unset: off. `$(POD_IP)` is replaced by the pod IP.
   */
  dashboardAddress?: string;
  /** Where the defaults are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The dashboard over the cluster (ReleaseBackend), behind the token kept in a Secret. A failure
 * to start it is logged and the controller runs on without it: reconciling matters more.
 */
export async function serveControllerDashboard(
  o: ControllerDashboardOptions,
  log: (message: string) => void,
): Promise<{ close(): Promise<void> } | undefined> {
  const env = o.env ?? process.env;
  const address = (o.dashboardAddress ?? env.BATON_DASHBOARD_ADDRESS ?? 'off').replace('$(POD_IP)', env.POD_IP ?? '127.0.0.1');
  if (address === 'off' || address === '') return undefined;
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at) || '127.0.0.1';
  const port = Number(address.slice(at + 1));
  let backend: ReleaseBackend | undefined;
  let server: DashboardServer | undefined;
  try {
    const token = await ensureDashboardToken(o.kube, o.leaseNamespace);
    backend = new ReleaseBackend({ kube: o.kube, ...(o.watchNamespace ? { namespace: o.watchNamespace } : {}) });
    // Reached through `kubectl port-forward`: the browser names the local end, on a port the user picks.
    server = await startDashboardServer({
      backend,
      address: host,
      port,
      token,
      tokenWhere: dashboardTokenWhere(o.leaseNamespace),
      hosts: 'loopback',
    });
  } catch (error) {
    await backend?.close();
    log(`dashboard not started: ${(error as Error).message}`);
    return undefined;
  }
  log(
    `dashboard on http://${host}:${port}/ (reach it with: kubectl -n ${o.leaseNamespace} port-forward pod/${o.identity} ${port}; the token is in Secret ${o.leaseNamespace}/${dashboardTokenSecret})`,
  );
  if (!isLoopback(host))
    log(`dashboard listens on ${host}, beyond the pod's loopback: anyone on the pod network who has the token can act`);
  const started = server;
  const ended = backend;
  return {
    close: async () => {
      await started.close();
      await ended.close();
    },
  };
}
