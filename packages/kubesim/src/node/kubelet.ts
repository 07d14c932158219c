// The kubelet entry point: wires the API client, pod workers, node registration and the HTTP server.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BackOffOptions } from './back-off.js';
import type { ImageMap } from './image-map.js';
import type { Pod } from './pod-types.js';
import { createKubeClient } from './kube-client.js';
import { apiEnvSources } from './api-env-sources.js';
import { EventRecorder } from './events.js';
import { IpAllocator } from './ip-allocator.js';
import { LogStore } from './log-store.js';
import { PodWorker } from './pod-worker.js';
import { registerNode } from './node-registration.js';
import { timingModel, type KubeletTiming } from './kubelet-timing.js';
import { featuresOf, kubernetesVersion, versionOfServer } from '../kubernetes-version.js';
import { startKubeletServer } from './kubelet-server.js';
import { signalGroup } from './container-process.js';
import { statsSummary } from './stats-summary.js';
import { startOrphanReaper } from './orphan-reaper.js';
import { mountNamespacesSupported } from './mount-namespace.js';

export interface KubeletOptions {
  /** kubeconfig YAML text: the kubelet is an ordinary API client and can join any API server. */
  kubeconfig: string;
  /** default "kubesim-node" */
  nodeName?: string;
  images: ImageMap;
  /** default "127.244" -> pod IPs 127.244.x.y */
  podCidrPrefix?: string;
  /** default a temp dir (removed on stop) */
  logDir?: string;
  now?: () => number;
  /** CrashLoopBackOff / image pull back-off; defaults are the real kubelet's (10s doubling to 300s). */
  backOff?: BackOffOptions;
  /** Node Ready heartbeat and Lease renewal period; default 10s as the kubelet. */
  heartbeatMs?: number;
  /**
   * A deleted pod's readiness. 'probe' (default, as a real kubelet): the readiness probe keeps
   * running during termination and Ready follows it (EndpointSlices then show the pod as
   * `serving` while terminating, which kube-proxy uses when no endpoint is ready).
   * 'not-ready' (kubesim's former contract): Ready=False as soon as the pod has a deletionTimestamp.
   */
  readinessWhileTerminating?: 'not-ready' | 'probe';
  /** The Kubernetes version to behave as ("1.26"); default: what the API server's /version says. */
  kubernetesVersion?: string;
  /** Runtime delays (sandbox, image pull, container start): 'fast' (default) or 'realistic'. See kubelet-timing.ts. */
  timing?: KubeletTiming;
  /**
   * Give each container a private mount namespace with its volumes (the service-account token
   * included) bind-mounted at their mountPath. 'auto' (default): when the machine allows it
   * (root on Linux); 'off': volumes are written on the host but not mounted.
   */
  mountNamespaces?: 'auto' | 'off';
}

export interface Kubelet {
  nodeName: string;
  /** Stops all pods' processes it started (SIGKILL, whole process groups) and its server. */
  stop(): Promise<void>;
}

interface PodList {
  metadata?: { resourceVersion?: string };
  items?: Pod[];
}

/**
 * Starts a kubelet: registers the Node, serves logs/exec/stats, and runs every pod bound to the
 * node (list + watch with fieldSelector spec.nodeName) as local processes.
 */
export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const nodeName = options.nodeName ?? 'kubesim-node';
  const now = options.now ?? Date.now;
  const prefix = options.podCidrPrefix ?? '127.244';
  const client = createKubeClient(options.kubeconfig);
  const version = options.kubernetesVersion
    ? kubernetesVersion(options.kubernetesVersion)
    : versionOfServer((await client.request<{ gitVersion?: string }>('GET', '/version').catch(() => undefined))?.body?.gitVersion);
  const features = featuresOf(version.minor);
  const timing = timingModel(options.timing);
  const pulledImages = new Set<string>();
  const ownLogDir = options.logDir === undefined;
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'kubesim-kubelet-')));
  const logs = new LogStore(logDir, now);
  await mkdir(logDir, { recursive: true });
  const kubeletId = randomBytes(8).toString('hex');
  const reaper = startOrphanReaper(logDir, kubeletId);
  const ips = new IpAllocator(prefix);
  const events = new EventRecorder(client, nodeName, now);
  const sources = apiEnvSources(client);
  const podsDir = join(logDir, 'pods');
  await mkdir(podsDir, { recursive: true, mode: 0o700 });
  const mountNamespaces = options.mountNamespaces !== 'off' && mountNamespacesSupported();
  const workers = new Map<string, PodWorker>();
  // The newest worker wins: a pod recreated under the same name may overlap its terminating predecessor.
  const byName = (ns: string, name: string): PodWorker | undefined =>
    [...workers.values()].reverse().find((w) => w.namespace === ns && w.name === name);

  const cpuSamples = new Map<number, { at: number; cpuNanos: number }>();
  const server = await startKubeletServer({
    token: client.token,
    logs,
    container: (ns, pod, c) => byName(ns, pod)?.running(c),
    podExists: (ns, pod) => byName(ns, pod) !== undefined,
    portForwardTarget: (ns, pod) => {
      const w = byName(ns, pod);
      return w && !w.isTerminating ? { podIP: w.podIP, uid: w.uid, name: pod, namespace: ns } : undefined;
    },
    statsSummary: () => statsSummary(nodeName, [...workers.values()], now, cpuSamples),
  });

  // Last resort: if this Node process exits without stop(), its pods must not outlive it.
  const onExit = (): void => {
    for (const w of workers.values()) for (const g of w.pgids()) signalGroup(g, 'SIGKILL');
  };
  process.on('exit', onExit);

  let stopHeartbeat: () => void = () => {};
  try {
    stopHeartbeat = await registerNode({
      client,
      nodeName,
      kubeletPort: server.port,
      podCidr: `${prefix}.0.0/16`,
      now,
      heartbeatMs: options.heartbeatMs,
      kubeletVersion: version.gitVersion,
    });
  } catch (e) {
    await server.close();
    client.close();
    reaper.stop();
    process.off('exit', onExit);
    throw e;
  }

  // A start is written at once (a crash right after it must not leak the new group); exits are
  // coalesced, many in one tick writing the list once.
  let reaperDirty = false;
  const refreshReaper = (change: 'started' | 'exited'): void => {
    if (change === 'started') return reaper.update([...workers.values()].flatMap((w) => w.pgids()));
    if (reaperDirty) return;
    reaperDirty = true;
    setImmediate(() => {
      reaperDirty = false;
      reaper.update([...workers.values()].flatMap((w) => w.pgids()));
    });
  };

  const deleteNow = (pod: Pod): void => {
    const ns = pod.metadata.namespace ?? 'default';
    void client
      .request('DELETE', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      })
      .catch(() => undefined);
  };

  const upsert = (pod: Pod): void => {
    const uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
    const w = workers.get(uid);
    if (w) return w.update(pod);
    if (pod.spec.nodeName !== nodeName) return;
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp) return deleteNow(pod); // nothing of it runs here
    if (phase === 'Succeeded' || phase === 'Failed') return; // finished in an earlier life
    // hostNetwork pods share the node's address, as on a real node.
    const ip = pod.spec.hostNetwork ? '127.0.0.1' : ips.allocate();
    const worker: PodWorker = new PodWorker(pod, ip, {
      client,
      events,
      logs,
      images: options.images,
      kubeletId,
      features,
      timing,
      pulledImages,
      readinessWhileTerminating: options.readinessWhileTerminating ?? 'probe',
      envSources: sources,
      nodeName,
      hostIP: '127.0.0.1',
      now,
      backOff: options.backOff ?? {},
      podsDir,
      mountNamespaces,
      onProcesses: refreshReaper,
      onGone: () => {
        if (workers.get(uid) === worker) workers.delete(uid);
        if (!pod.spec.hostNetwork) ips.release(ip);
        events.forget(uid);
        logs.forget(pod.metadata.namespace ?? 'default', pod.metadata.name, uid);
      },
    });
    workers.set(uid, worker);
    worker.start();
  };

  const gone = (pod: Pod): void => {
    const w = workers.get(pod.metadata.uid ?? '');
    // Removed without the graceful sequence finishing here (force delete): still stop it properly.
    if (w && !w.isTerminating) void w.stop(pod.metadata.deletionGracePeriodSeconds ?? 0);
  };

  const stopAll = new AbortController();
  const selector = encodeURIComponent(`spec.nodeName=${nodeName}`);
  const loop = async (): Promise<void> => {
    while (!stopAll.signal.aborted) {
      try {
        const list = await client.request<PodList>('GET', `/api/v1/pods?fieldSelector=${selector}`);
        if (list.status !== 200 || !list.body) throw new Error(`listing pods: HTTP ${list.status}`);
        const seen = new Set<string>();
        for (const p of list.body.items ?? []) {
          seen.add(p.metadata.uid ?? '');
          upsert(p);
        }
        for (const [uid, w] of workers) if (!seen.has(uid) && !w.isTerminating) void w.stop(0);
        const rv = list.body.metadata?.resourceVersion ?? '';
        const watchAbort = new AbortController();
        const relay = (): void => watchAbort.abort();
        stopAll.signal.addEventListener('abort', relay, { once: true });
        await client.watch(
          `/api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector=${selector}&resourceVersion=${rv}`,
          (type, obj) => {
            try {
              if (type === 'ADDED' || type === 'MODIFIED') upsert(obj as Pod);
              else if (type === 'DELETED') gone(obj as Pod);
              else if (type === 'ERROR') watchAbort.abort(); // e.g. 410 Gone: relist
            } catch {
              // e.g. no pod IPs left: this runs in a stream handler, so relist and retry instead of crashing
              watchAbort.abort();
            }
          },
          watchAbort.signal,
        );
        stopAll.signal.removeEventListener('abort', relay);
      } catch {
        if (!stopAll.signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const looping = loop();

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    stopAll.abort();
    stopHeartbeat();
    await looping;
    await Promise.all([...workers.values()].map((w) => w.stop('now')));
    await server.close();
    client.close();
    reaper.stop();
    process.off('exit', onExit);
    if (ownLogDir) await rm(logDir, { recursive: true, force: true });
  };
  return {
    nodeName,
    stop: () => (stopping ??= stop()),
  };
}
