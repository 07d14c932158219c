import type { Controller, ControllerContext } from './controller-context.js';
import { DeploymentController } from './deployment-controller.js';
import { DisruptionController } from './disruption-controller.js';
import { EndpointSliceController } from './endpoint-slice-controller.js';
import { EndpointsController } from './endpoints-controller.js';
import { makeInformers } from './informers.js';
import { DEFAULT_JOB_BACKOFF, JobController } from './job-controller.js';
import type { JobBackoff } from './job-controller.js';
import { makeClients } from './kube-clients.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { Scheduler } from './scheduler.js';
import { VersionApi } from '@kubernetes/client-node';
import { featuresOf, kubernetesVersion, versionOfServer } from '../kubernetes-version.js';

export type { JobBackoff } from './job-controller.js';

/** How to reach the API server, plus injectable clock, Job back-off and logger. */
export interface ControllerManagerOptions {
  /** kubeconfig YAML text; the controllers are plain API clients of whatever server it names. */
  kubeconfig: string;
  /** Clock for availability, deadlines and condition times. Default Date.now. */
  now?: () => number;
  /** Job pod-failure back-off. Default Kubernetes' 10 s doubling to 6 min; tests shorten it. */
  jobBackoff?: JobBackoff;
  /** Diagnostics (failed syncs, watch restarts). Default: silent. */
  log?: (msg: string) => void;
  /** The Kubernetes version to behave as ("1.26"); default: what the API server's /version says. */
  kubernetesVersion?: string;
}

/** Running controllers; `stop` ends every watch and waits for in-flight syncs. */
export interface ControllerManager {
  stop(): Promise<void>;
}

/**
 * Starts kube-controller-manager's controllers (Deployment, ReplicaSet, Job, Endpoints,
 * EndpointSlice, disruption) and the scheduler against the API server in the kubeconfig.
 * Resolves once every informer has listed, so the controllers act on a full picture from their
 * first sync.
 */
export async function startControllers(options: ControllerManagerOptions): Promise<ControllerManager> {
  const log = options.log ?? (() => undefined);
  const clients = makeClients(options.kubeconfig);
  const informers = makeInformers(clients, log);
  const version = options.kubernetesVersion
    ? kubernetesVersion(options.kubernetesVersion)
    : versionOfServer(
        await clients.kc
          .makeApiClient(VersionApi)
          .getCode()
          .then(
            (v) => v.gitVersion,
            () => undefined,
          ),
      );
  const ctx: ControllerContext = {
    clients,
    informers,
    now: options.now ?? Date.now,
    log,
    features: featuresOf(version.minor),
    minor: version.minor,
  };
  const controllers: Controller[] = [
    new Scheduler(ctx),
    new ReplicaSetController(ctx),
    new DeploymentController(ctx),
    new JobController(ctx, options.jobBackoff ?? DEFAULT_JOB_BACKOFF),
    new EndpointsController(ctx),
    new EndpointSliceController(ctx),
    new DisruptionController(ctx),
  ];
  const all = Object.values(informers);
  const stopInformers = async (): Promise<void> => {
    await Promise.all(all.map((i) => i.stop()));
  };
  try {
    await Promise.all(all.map((i) => i.start()));
  } catch (err) {
    await stopInformers();
    throw err;
  }
  for (const c of controllers) c.start();
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopInformers();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}
