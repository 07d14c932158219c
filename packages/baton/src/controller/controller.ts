import { createServer, type Server } from 'node:http';
import type { KubeClient } from '../kube/kube-client.js';
import type { StepRegistry } from '../engine/step.js';
import { AppLocks } from './app-locks.js';
import { ControllerMetrics } from './controller-metrics.js';
import { LeaderElector } from './leader-election.js';
import { ProbeSessions } from './probe-sessions.js';
import { releaseKind, type Release } from './release.js';
import { ReleaseEvents } from './release-events.js';
import { keyOf, Reconciler, type ReconcileResult } from './reconciler.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerOptions {
  kube: KubeClient;
  /** Where the leader Lease lives (the controller's own namespace). */
  leaseNamespace: string;
  /** Watch Releases only here; default every namespace. */
  watchNamespace?: string;
  identity: string;
  /** host:port for /metrics, /healthz, /readyz; undefined: no server. */
  metricsAddress?: string;
  /**
   * Something every replica serves beside reconciling, leader or not (the dashboard: the CLI
   * passes dashboard/'s `serveControllerDashboard`, so controller/ never imports dashboard/).
   * Undefined when it is off or could not start.
   */
  sidecar?: (log: (message: string) => void) => Promise<{ close(): Promise<void> } | undefined>;
  signal: AbortSignal;
  /** Releases reconciled at once (different apps run side by side). Default 8. */
  concurrency?: number;
  /** Every known Release is looked at again this often, changed or not. Default 30 s. */
  resyncMs?: number;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  registry?: StepRegistry;
  warmupMs?: number;
  tailMs?: number;
  log?: (message: string) => void;
}

export interface ControllerResult {
  /** `lost`: leadership was lost (the process should exit so it restarts as a follower). */
  ended: 'stopped' | 'lost';
}

/**
 * baton's controller: waits for the leader Lease, then watches Releases and reconciles each
 * one level-triggered through a work queue (a key is never reconciled twice at once). Metrics
 * and health are served from the start, leader or not (readiness says whether it leads).
 */
export async function runController(o: ControllerOptions): Promise<ControllerResult> {
  const log = o.log ?? (() => undefined);
  const metrics = new ControllerMetrics();
  let leading = false;
  const server = o.metricsAddress === undefined ? undefined : await serve(o.metricsAddress, metrics, () => leading);
  // Every replica serves the dashboard, leader or not: it reads the API and writes only status
  // requests, which the leader acts on.
  const dashboard = await o.sidecar?.(log);
  const elector = new LeaderElector({
    kube: o.kube,
    namespace: o.leaseNamespace,
    identity: o.identity,
    log,
    ...(o.leaseDurationMs !== undefined ? { leaseDurationMs: o.leaseDurationMs } : {}),
    ...(o.renewDeadlineMs !== undefined ? { renewDeadlineMs: o.renewDeadlineMs } : {}),
    ...(o.retryPeriodMs !== undefined ? { retryPeriodMs: o.retryPeriodMs } : {}),
  });
  let lost = false;
  try {
    await elector.run(o.signal, async (signal) => {
      leading = true;
      metrics.leader.set(1);
      const locks = new AppLocks(o.kube);
      const probes = new ProbeSessions(o.kube, o.identity);
      const events = new ReleaseEvents(o.kube, o.identity, (e) => log(`event not written: ${(e as Error).message}`));
      const reconciler = new Reconciler({
        kube: o.kube,
        identity: o.identity,
        locks,
        probes,
        events,
        metrics,
        log,
        ...(o.registry ? { registry: o.registry } : {}),
        ...(o.warmupMs !== undefined ? { warmupMs: o.warmupMs } : {}),
        ...(o.tailMs !== undefined ? { tailMs: o.tailMs } : {}),
      });
      const queue = new WorkQueue();
      const known = new Map<string, Release>();
      const countPhases = () => {
        metrics.releases.reset();
        for (const r of known.values()) metrics.releases.inc({ phase: r.status?.phase ?? 'Pending' });
      };
      const watching = o.kube.customResources().watch<Release>(releaseKind, {
        ...(o.watchNamespace ? { namespace: o.watchNamespace } : {}),
        signal,
        onEvent: ({ type, object }) => {
          const key = keyOf(object);
          if (type === 'DELETED') known.delete(key);
          else known.set(key, object);
          countPhases();
          reconciler.observe(object);
          if (type !== 'DELETED') queue.add(key);
        },
        onRelist: (error) => {
          if (error) log(`watch of Releases ended (${(error as Error).message ?? error}); listing again`);
        },
      });
      const resync = setInterval(() => {
        for (const key of known.keys()) queue.add(key);
      }, o.resyncMs ?? 30_000);
      try {
        await queue.run(
          async (key, stop) => {
            const [namespace, name] = key.split('/') as [string, string];
            const began = performance.now();
            let result: ReconcileResult = { requeue: 'after', ms: 5000 };
            try {
              result = await reconciler.reconcile(namespace, name, stop);
              metrics.reconcileDuration.observe({ result: 'ok' }, (performance.now() - began) / 1000);
            } catch (error) {
              metrics.reconcileErrors.inc({ reason: (error as { reason?: string }).reason ?? 'Error' });
              metrics.reconcileDuration.observe({ result: 'error' }, (performance.now() - began) / 1000);
              log(`reconcile ${key} failed: ${(error as Error).message}`);
            }
            if (stop.aborted) return;
            if (result.requeue === 'now') queue.add(key);
            else if (result.requeue === 'after') queue.addAfter(key, result.ms);
          },
          { concurrency: o.concurrency ?? 8, signal },
        );
      } finally {
        clearInterval(resync);
        await watching.catch(() => undefined);
        await probes.abandonAll();
        locks.dropAll();
        leading = false;
        metrics.leader.set(0);
        lost = !o.signal.aborted;
      }
    });
  } finally {
    await dashboard?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
  return { ended: lost ? 'lost' : 'stopped' };
}

async function serve(address: string, metrics: ControllerMetrics, isLeader: () => boolean): Promise<Server> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at) || '127.0.0.1';
  const port = Number(address.slice(at + 1));
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
    } else if (req.url === '/healthz') {
      res.writeHead(200).end('ok');
    } else if (req.url === '/readyz') {
      res.writeHead(200).end(isLeader() ? 'leader' : 'standby');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
