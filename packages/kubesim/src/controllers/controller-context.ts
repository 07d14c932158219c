import type { VersionFeatures } from '../kubernetes-version.js';
import type { Informers } from './informers.js';
import type { KubeClients } from './kube-clients.js';

/** What every controller gets: API clients, the shared informers, a clock and a logger. */
export interface ControllerContext {
  clients: KubeClients;
  informers: Informers;
  now: () => number;
  log: (msg: string) => void;
  /** What the served Kubernetes minor does (the controller-manager runs the server's version). */
  features: VersionFeatures;
  /** The served minor itself, for what follows its Go structs (the pod-template-hash). */
  minor: number;
}

/** A running controller: it registers informer handlers in its constructor, then runs a queue. */
export interface Controller {
  start(): void;
  stop(): Promise<void>;
}
