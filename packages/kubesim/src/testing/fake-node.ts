import type { V1Node, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import { makeClients } from '../controllers/kube-clients.js';
import type { KubeClients } from '../controllers/kube-clients.js';
import { isConflict, isNotFound } from '../controllers/kube-clients.js';
import { rfc3339 } from '../controllers/object-time.js';
import { SharedInformer } from '../controllers/shared-informer.js';

/** What the fake kubelet does with one pod; all delays in ms. */
export interface PodBehavior {
  /** Bound -> Running. Default 0. */
  startDelayMs?: number;
  /** Running -> Ready. Default 0. */
  readyDelayMs?: number;
  /** false: the pod runs but never becomes Ready (a failing readiness probe). Default true. */
  ready?: boolean;
  /** The container exits after this long with this code (Job pods). Default: runs forever. */
  exit?: { afterMs: number; code: number };
  /** How long a deleted pod keeps running (its grace period) before it is removed. Default 0. */
  terminationDelayMs?: number;
}

/** Where to register, under which name, and how pods behave. */
export interface FakeNodeOptions {
  kubeconfig: string;
  name?: string;
  labels?: Record<string, string>;
  /** Behaviour per pod, usually keyed on the image. Default: start and become Ready at once. */
  behavior?: (pod: V1Pod) => PodBehavior;
  /** Third octet of the fake pod IPs (127.0.<n>.x). Default 200. */
  ipOctet?: number;
  now?: () => number;
}

/** A running fake node. */
export interface FakeNode {
  name: string;
  /** Flip a running pod's readiness (a readiness probe starting or stopping to pass). */
  setReady(namespace: string, pod: string, ready: boolean): Promise<void>;
  /** Mark the node NotReady / Ready. */
  setNodeReady(ready: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A test-only kubelet stand-in: registers a Ready Node, turns pods bound to it into Running (and
 * Ready) pods with a fake IP on a timetable, runs Job-style exits per restartPolicy, and removes
 * terminating pods (gracePeriodSeconds=0) after their termination delay. No processes run: it
 * exists so controllers can be tested without the real kubelet (src/node/).
 */
export async function startFakeNode(options: FakeNodeOptions): Promise<FakeNode> {
  const name = options.name ?? 'fake-node';
  const now = options.now ?? Date.now;
  const c = makeClients(options.kubeconfig);
  const behavior: (pod: V1Pod) => PodBehavior = options.behavior ?? (() => ({}));
  const octet = options.ipOctet ?? 200;
  const timers = new Set<NodeJS.Timeout>();
  const seen = new Set<string>();
  const terminating = new Set<string>();
  let nextIp = 2;
  let stopped = false;
  const later = (ms: number, fn: () => Promise<void>): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn().catch(() => undefined);
    }, ms);
    timers.add(t);
  };

  await registerNode(c, name, options.labels ?? {}, true, now);
  const pods = new SharedInformer<V1Pod>(
    c.kc,
    '/api/v1/pods',
    () => c.core.listPodForAllNamespaces(),
    () => undefined,
  );
  const onPod = (pod: V1Pod): void => {
    if (stopped || pod.spec?.nodeName !== name) return;
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const uidKey = `${key}/${pod.metadata?.uid}`;
    const b = behavior(pod);
    if (pod.metadata?.deletionTimestamp) {
      if (terminating.has(uidKey)) return;
      terminating.add(uidKey);
      later(b.terminationDelayMs ?? 0, async () => {
        await c.core
          .deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 })
          .catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
      });
      return;
    }
    if (seen.has(uidKey)) return;
    seen.add(uidKey);
    const ip = `127.0.${octet}.${(nextIp++ % 250) + 2}`;
    later(b.startDelayMs ?? 0, async () => {
      const ready = b.ready !== false && (b.readyDelayMs ?? 0) === 0;
      await updateStatus(c, pod, (s) => running(s, ip, ready, 0, now()));
      if (b.ready !== false && (b.readyDelayMs ?? 0) > 0)
        later(b.readyDelayMs!, () => updateStatus(c, pod, (s) => setReadyStatus(s, true, now())));
      if (b.exit) scheduleExit(pod, b, ip, 0);
    });
  };
  const scheduleExit = (pod: V1Pod, b: PodBehavior, ip: string, restarts: number): void => {
    later(b.exit!.afterMs, async () => {
      const code = b.exit!.code;
      const policy = pod.spec?.restartPolicy ?? 'Always';
      const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
      if (restart) {
        await updateStatus(c, pod, (s) => running(s, ip, b.ready !== false, restarts + 1, now()));
        scheduleExit(pod, b, ip, restarts + 1);
        return;
      }
      await updateStatus(c, pod, (s) => exited(s, code, now()));
    });
  };
  pods.on('add', onPod);
  pods.on('update', onPod);
  await pods.start();
  return {
    name,
    async setReady(namespace, podName, ready) {
      const pod = await c.core.readNamespacedPod({ name: podName, namespace });
      await updateStatus(c, pod, (s) => setReadyStatus(s, ready, now()));
    },
    async setNodeReady(ready) {
      await registerNode(c, name, options.labels ?? {}, ready, now);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await pods.stop();
    },
  };
}

async function registerNode(
  c: KubeClients,
  name: string,
  labels: Record<string, string>,
  ready: boolean,
  now: () => number,
): Promise<void> {
  const t = rfc3339(now()) as unknown as Date;
  const status: V1Node['status'] = {
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'KubeletReady' : 'KubeletNotReady',
        message: ready ? 'kubelet is posting ready status' : 'fake node marked not ready',
        lastHeartbeatTime: t,
        lastTransitionTime: t,
      },
    ],
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: name },
    ],
    nodeInfo: {
      architecture: 'amd64',
      bootID: '',
      containerRuntimeVersion: 'fake://1',
      kernelVersion: '',
      kubeProxyVersion: '',
      kubeletVersion: 'v1.32.0-fake',
      machineID: '',
      operatingSystem: 'linux',
      osImage: 'fake',
      systemUUID: '',
    },
    capacity: { cpu: '2', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '2', memory: '8Gi', pods: '110' },
  };
  let node: V1Node;
  try {
    node = await c.core.readNode({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    node = await c.core.createNode({
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
        status,
      },
    });
  }
  node.status = status;
  await c.core.replaceNodeStatus({ name, body: node });
}

async function updateStatus(c: KubeClients, pod: V1Pod, mutate: (s: V1PodStatus) => V1PodStatus): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let cur: V1Pod;
    try {
      cur = await c.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace! });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (cur.metadata?.uid !== pod.metadata?.uid) return;
    cur.status = mutate(cur.status ?? {});
    try {
      await c.core.replaceNamespacedPodStatus({ name: cur.metadata!.name!, namespace: cur.metadata!.namespace!, body: cur });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
    }
  }
}

function cond(type: string, ok: boolean, t: string): V1PodCondition {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: t as unknown as Date };
}

function withCondition(s: V1PodStatus, c: V1PodCondition): void {
  const cur = s.conditions?.find((x) => x.type === c.type);
  if (cur && cur.status === c.status) return;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

function running(s: V1PodStatus, ip: string, ready: boolean, restarts: number, now: number): V1PodStatus {
  const t = rfc3339(now);
  s.phase = 'Running';
  s.podIP = ip;
  s.podIPs = [{ ip }];
  s.hostIP = '127.0.0.1';
  s.startTime ??= t as unknown as Date;
  for (const type of ['PodReadyToStartContainers', 'Initialized', 'PodScheduled']) withCondition(s, cond(type, true, t));
  withCondition(s, cond('ContainersReady', ready, t));
  withCondition(s, cond('Ready', ready, t));
  s.containerStatuses = [
    {
      name: 'main',
      image: 'fake',
      imageID: 'fake',
      ready,
      restartCount: restarts,
      started: true,
      state: { running: { startedAt: t as unknown as Date } },
    },
  ];
  return s;
}

function setReadyStatus(s: V1PodStatus, ready: boolean, now: number): V1PodStatus {
  const t = rfc3339(now);
  withCondition(s, cond('ContainersReady', ready, t));
  withCondition(s, cond('Ready', ready, t));
  for (const cs of s.containerStatuses ?? []) cs.ready = ready;
  return s;
}

function exited(s: V1PodStatus, code: number, now: number): V1PodStatus {
  const t = rfc3339(now);
  s.phase = code === 0 ? 'Succeeded' : 'Failed';
  withCondition(s, cond('ContainersReady', false, t));
  withCondition(s, cond('Ready', false, t));
  const restarts = s.containerStatuses?.[0]?.restartCount ?? 0;
  s.containerStatuses = [
    {
      name: 'main',
      image: 'fake',
      imageID: 'fake',
      ready: false,
      restartCount: restarts,
      started: false,
      state: {
        terminated: {
          exitCode: code,
          reason: code === 0 ? 'Completed' : 'Error',
          finishedAt: t as unknown as Date,
          startedAt: (s.startTime ?? t) as Date,
        },
      },
    },
  ];
  return s;
}

/**
 * Behaviour keyed on the first container's image, with a fallback: the common case of "image
 * bad:v2 never becomes ready, everything else is Ready after 50 ms".
 */
export function behaviorByImage(byImage: Record<string, PodBehavior>, fallback: PodBehavior = {}): (pod: V1Pod) => PodBehavior {
  return (pod) => byImage[pod.spec?.containers?.[0]?.image ?? ''] ?? fallback;
}
