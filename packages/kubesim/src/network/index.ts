import { ClusterView } from './cluster-view.js';
import { DelayedFeed } from './delayed-feed.js';
import { IngressProxy } from './ingress-proxy.js';
import { KubeSource } from './kube-source.js';
import { stderrLogger } from './network-logger.js';
import { ServiceProxy } from './service-proxy.js';

export { networkCrds } from './network-crds.js';

export interface NetworkOptions {
  kubeconfig: string /* YAML text */;
  /** how long endpoint changes take to reach the proxies, like kube-proxy / LB lag. default 1000 */
  propagationDelayMs?: number;
  ingressHost?: string /* default 127.0.0.1 */;
  ingressPort?: number /* default 0 = random */;
}

export interface Network {
  ingressUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts kubesim's data plane against an API server: a Service proxy (kube-proxy) listening on
 * every Service's clusterIP:port, and one ingress proxy port serving Ingress (NGINX canary
 * annotations), Gateway API HTTPRoute and Istio VirtualService routes. Both learn cluster changes
 * propagationDelayMs late, as real proxies do.
 */
export async function startNetwork(options: NetworkOptions): Promise<Network> {
  const logger = stderrLogger;
  const host = options.ingressHost ?? '127.0.0.1';
  const view = new ClusterView();
  const feed = new DelayedFeed(view, { delayMs: options.propagationDelayMs ?? 1000 });
  // The initial list is what a starting kube-proxy syncs before it serves: applied at once.
  // Only changes after that take the propagation delay.
  let initialSync = true;
  const source = new KubeSource({ kubeconfig: options.kubeconfig, onEvent: (e) => (initialSync ? view.apply(e) : feed.push(e)), logger });
  const services = new ServiceProxy({ view, logger });
  const ingress = new IngressProxy({
    view,
    host,
    port: options.ingressPort ?? 0,
    logger,
    report: (object, reason, message) => {
      logger.warn(message, { reason, object: `${object.kind} ${object.namespace}/${object.name}` });
      void source.warnEvent(object, reason, message);
    },
  });
  services.start();
  const ingressUrl = await ingress.start();
  // Like ingress-nginx, publish the address on every Ingress once the proxy serves it.
  view.onChange((e) => {
    if (e.kind === 'Ingress' && e.type === 'upsert') void source.publishIngressStatus(e.object, host);
  });
  try {
    await source.start();
    initialSync = false;
    // Resolve only once the initial Services are actually served.
    await services.settled();
  } catch (err) {
    await Promise.all([source.stop(), ingress.stop(), services.stop()]);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ingressUrl,
    stop: () =>
      (stopping ??= (async () => {
        await source.stop();
        feed.stop();
        await Promise.all([ingress.stop(), services.stop()]);
      })()),
  };
}
