import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, VersionApi, Watch } from '@kubernetes/client-node';
import type { V1Container, V1Deployment, V1Job, V1Pod } from '@kubernetes/client-node';

/**
 * Controller conformance scenarios. They talk to a cluster only through a kubeconfig and the
 * public Kubernetes API (no kubesim import), so the same run can be pointed at kubesim or at a
 * real cluster and the two compared. Workloads use busybox commands a real kubelet can run:
 * `sleep` for long-running pods, `exit N` for Job outcomes, a failing exec readiness probe for
 * pods that never become ready, and a preStop `sleep` for pods that drain slowly.
 */
export interface ConformanceContext {
  kubeconfig: string;
  namespace: string;
  /** Upper bound for each wait; real clusters pull images, so be generous. */
  timeoutMs: number;
}

/** One named conformance check; it throws (with a message saying what differed) on failure. */
export interface Scenario {
  name: string;
  /** The scenario needs containers that really run (a real cluster, or kubesim's own kubelet). */
  needsRunningContainers?: boolean;
  /** Why the scenario cannot run on this machine (a missing tool), or undefined when it can. */
  unavailable?(): string | undefined;
  run(ctx: ConformanceContext): Promise<void>;
}

/** Two real images a real kubelet can pull, so the scenarios run unchanged on a real cluster. */
export const IMAGE_V1 = 'busybox:1.36';
export const IMAGE_V2 = 'busybox:1.37';

interface Api {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  discovery: DiscoveryV1Api;
  kc: KubeConfig;
}

/** API clients from kubeconfig text (plain-http servers allowed, as kubectl allows them). */
export function connect(kubeconfig: string): Api {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  if (kc.clusters.some((c) => c.server.startsWith('http:') && !c.skipTLSVerify)) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  }
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
  };
}

/** The server's Kubernetes minor (GET /version), for scenarios whose expectations changed between minors. */
export async function serverMinor(api: Api): Promise<number> {
  const v = await api.kc.makeApiClient(VersionApi).getCode();
  return Number(/^\d+/.exec(v.minor)?.[0] ?? /^v?1\.(\d+)/.exec(v.gitVersion)?.[1] ?? 0);
}

function fail(msg: string): never {
  throw new Error(msg);
}

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) fail(msg);
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) fail(`timed out waiting for ${what}${last ? ` (${String((last as Error).message ?? last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleeper = (image: string, extra: Partial<V1Container> = {}): V1Container => ({
  name: 'main',
  image,
  command: ['sh', '-c', 'sleep 3600'],
  ...extra,
});

function deployment(ns: string, name: string, container: V1Container, spec: Partial<NonNullable<V1Deployment['spec']>> = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 5, containers: [container] } },
      ...spec,
    },
  };
}

async function mutate(api: Api, ns: string, name: string, f: (d: V1Deployment) => void): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const d = await api.apps.readNamespacedDeployment({ name, namespace: ns });
    f(d);
    try {
      await api.apps.replaceNamespacedDeployment({ name, namespace: ns, body: d });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
  fail(`could not update deployment ${name}`);
}

/** `kubectl rollout status` semantics. */
async function rolledOut(api: Api, ctx: ConformanceContext, name: string): Promise<V1Deployment> {
  return until(`rollout of ${name}`, ctx.timeoutMs, async () => {
    const d = await api.apps.readNamespacedDeployment({ name, namespace: ctx.namespace });
    const s = d.status ?? {};
    const n = d.spec?.replicas ?? 1;
    if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) return undefined;
    if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded'))
      fail(`${name} exceeded its progress deadline`);
    return (s.updatedReplicas ?? 0) === n && (s.replicas ?? 0) === n && (s.availableReplicas ?? 0) === n ? d : undefined;
  });
}

const ready = (p: V1Pod): boolean =>
  !p.metadata?.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Watches pods by label and keeps the running set, checking an invariant after every event. */
async function watchPods(
  api: Api,
  ns: string,
  selector: string,
  invariant: (pods: V1Pod[], ev: string) => void,
): Promise<{ stop(): void; errors: string[]; events: number }> {
  const pods = new Map<string, V1Pod>();
  const state = { errors: [] as string[], events: 0, primed: false };
  const initial = await api.core.listNamespacedPod({ namespace: ns, labelSelector: selector });
  for (const p of initial.items) pods.set(p.metadata!.name!, p);
  const ctl = await new Watch(api.kc).watch(
    `/api/v1/namespaces/${ns}/pods`,
    { labelSelector: selector, resourceVersion: initial.metadata?.resourceVersion },
    (type: string, obj: V1Pod) => {
      if (type === 'DELETED') pods.delete(obj.metadata!.name!);
      else pods.set(obj.metadata!.name!, obj);
      state.events++;
      try {
        invariant([...pods.values()], `${type} ${obj.metadata?.name}`);
      } catch (err) {
        state.errors.push((err as Error).message);
      }
    },
    () => undefined,
  );
  return {
    stop: () => ctl.abort(),
    get errors() {
      return state.errors;
    },
    get events() {
      return state.events;
    },
  };
}

/** The scenarios, in the order they run; each uses its own workload names in the shared namespace. */
export const scenarios: Scenario[] = [
  {
    name: 'Deployment rolls out with a hashed ReplicaSet, revision annotations and owned pods',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 'basic', sleeper(IMAGE_V1)) });
      const d = await rolledOut(api, ctx, 'basic');
      check(d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1', 'revision annotation 1');
      check(
        d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable',
        'Progressing NewReplicaSetAvailable',
      );
      check(d.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True', 'Available True');
      const rss = (await api.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=basic' })).items;
      check(rss.length === 1, 'one ReplicaSet');
      const rs = rss[0]!;
      const hash = rs.metadata?.labels?.['pod-template-hash'];
      check(hash && rs.metadata?.name === `basic-${hash}`, 'ReplicaSet named <deployment>-<pod-template-hash>');
      check(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'] === '3', 'desired-replicas 3');
      check(rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'] === '4', 'max-replicas 4 (25% surge of 3 rounds up)');
      const pods = (await api.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=basic' })).items;
      check(
        pods.length === 3 &&
          pods.every(
            (p) => p.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid && p.metadata?.ownerReferences?.[0]?.controller === true,
          ),
        'pods owned by the ReplicaSet',
      );
    },
  },
  {
    name: 'RollingUpdate maxUnavailable 0 / maxSurge 1 keeps 3 ready pods and at most 4 live pods',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment(ns, 'surge', sleeper(IMAGE_V1), {
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        }),
      });
      await rolledOut(api, ctx, 'surge');
      const w = await watchPods(api, ns, 'app=surge', (pods, ev) => {
        const r = pods.filter(ready).length;
        const live = pods.filter((p) => !p.metadata?.deletionTimestamp).length;
        if (r < 3) throw new Error(`${r} ready pods after ${ev}`);
        if (live > 4) throw new Error(`${live} live pods after ${ev}`);
      });
      try {
        await mutate(api, ns, 'surge', (d) => {
          d.spec!.template.spec!.containers[0]!.image = IMAGE_V2;
        });
        await rolledOut(api, ctx, 'surge');
      } finally {
        w.stop();
      }
      check(w.events > 0, 'the watch saw the rollout');
      check(w.errors.length === 0, w.errors.join('; '));
    },
  },
  {
    name: 'Recreate starts no new pod while an old one exists',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment(ns, 'recreate', sleeper(IMAGE_V1), { replicas: 2, strategy: { type: 'Recreate' } }),
      });
      await rolledOut(api, ctx, 'recreate');
      const w = await watchPods(api, ns, 'app=recreate', (pods, ev) => {
        const images = new Set(pods.map((p) => p.spec?.containers?.[0]?.image));
        if (images.has(IMAGE_V1) && images.has(IMAGE_V2)) throw new Error(`old and new pods coexist after ${ev}`);
      });
      try {
        await mutate(api, ns, 'recreate', (d) => {
          d.spec!.template.spec!.containers[0]!.image = IMAGE_V2;
        });
        await rolledOut(api, ctx, 'recreate');
      } finally {
        w.stop();
      }
      check(w.errors.length === 0, w.errors.join('; '));
    },
  },
  {
    name: 'Rollback by re-applying an old template reuses its ReplicaSet and bumps the revision',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 'undo', sleeper(IMAGE_V1), { replicas: 2 }) });
      await rolledOut(api, ctx, 'undo');
      const first = (await api.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=undo' })).items[0]!;
      await mutate(api, ns, 'undo', (d) => {
        d.spec!.template.spec!.containers[0]!.image = IMAGE_V2;
      });
      await rolledOut(api, ctx, 'undo');
      await mutate(api, ns, 'undo', (d) => {
        d.spec!.template.spec!.containers[0]!.image = IMAGE_V1;
      });
      const d = await rolledOut(api, ctx, 'undo');
      check(
        d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3',
        `revision 3, got ${d.metadata?.annotations?.['deployment.kubernetes.io/revision']}`,
      );
      const rss = (await api.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=undo' })).items;
      check(rss.length === 2, `two ReplicaSets, got ${rss.length}`);
      const again = rss.find((r) => r.metadata?.uid === first.metadata?.uid);
      check(again?.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3', 'the first ReplicaSet now carries revision 3');
      check(again?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'] === '1', 'revision-history 1');
    },
  },
  {
    name: 'A rollout that never becomes ready ends Progressing=False ProgressDeadlineExceeded',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment(ns, 'stuck', sleeper(IMAGE_V1), { replicas: 2, progressDeadlineSeconds: 3 }),
      });
      await rolledOut(api, ctx, 'stuck');
      await mutate(api, ns, 'stuck', (d) => {
        d.spec!.template.spec!.containers[0]!.readinessProbe = { exec: { command: ['false'] }, periodSeconds: 1 };
      });
      const d = await until('ProgressDeadlineExceeded', ctx.timeoutMs, async () => {
        const x = await api.apps.readNamespacedDeployment({ name: 'stuck', namespace: ns });
        return x.status?.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') ? x : undefined;
      });
      check(d.status?.conditions?.find((c) => c.type === 'Progressing')?.status === 'False', 'Progressing False');
      check(d.status?.availableReplicas === 2, 'old pods still available (25% of 2 rounds down to 0 unavailable)');
    },
  },
  {
    name: 'Job: completions reached -> Complete (after SuccessCriteriaMet from 1.31); backoffLimit -> Failed (after FailureTarget from 1.31)',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      const job = (name: string, code: number, spec: Partial<NonNullable<V1Job['spec']>>): V1Job => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: ns },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE_V1, command: ['sh', '-c', `exit ${code}`] }] },
          },
          ...spec,
        },
      });
      await api.batch.createNamespacedJob({ namespace: ns, body: job('ok', 0, { completions: 2, parallelism: 2 }) });
      await api.batch.createNamespacedJob({ namespace: ns, body: job('bad', 3, { backoffLimit: 1 }) });
      const ok = await until('job ok complete', ctx.timeoutMs, async () => {
        const j = await api.batch.readNamespacedJob({ name: 'ok', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
      });
      check(ok.status?.succeeded === 2 && !!ok.status.completionTime, 'succeeded 2 with completionTime');
      // Each server is held to its own minor: SuccessCriteriaMet exists from 1.31 on, never before.
      const interim = ok.status?.conditions?.some((c) => c.type === 'SuccessCriteriaMet' && c.reason === 'CompletionsReached');
      if ((await serverMinor(api)) >= 31) check(interim, 'SuccessCriteriaMet CompletionsReached (1.31+)');
      else check(!interim, 'no SuccessCriteriaMet before 1.31');
      const bad = await until('job bad failed', ctx.timeoutMs * 2, async () => {
        const j = await api.batch.readNamespacedJob({ name: 'bad', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True') ? j : undefined;
      });
      check(bad.status?.failed === 2, `failed 2, got ${bad.status?.failed}`);
      check(bad.status?.conditions?.find((c) => c.type === 'Failed')?.reason === 'BackoffLimitExceeded', 'reason BackoffLimitExceeded');
      const target = bad.status?.conditions?.some((c) => c.type === 'FailureTarget' && c.reason === 'BackoffLimitExceeded');
      check((await serverMinor(api)) >= 31 ? target : !target, 'FailureTarget before Failed exactly from 1.31');
    },
  },
  {
    // kubelet: readiness keeps being probed while a pod terminates (no probe: ready while running);
    // EndpointSlice controller: terminating endpoints are ready=false, serving follows the pod.
    name: 'A draining pod stays Ready; its EndpointSlice endpoint is ready=false serving=true terminating=true',
    async run(ctx) {
      const api = connect(ctx.kubeconfig);
      const ns = ctx.namespace;
      await api.core.createNamespacedService({
        namespace: ns,
        body: {
          metadata: { name: 'drain', namespace: ns },
          spec: { selector: { app: 'drain' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
        },
      });
      await api.core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'drain-a', namespace: ns, labels: { app: 'drain' } },
          spec: {
            terminationGracePeriodSeconds: 30,
            containers: [
              sleeper(IMAGE_V1, {
                ports: [{ name: 'http', containerPort: 8080 }],
                lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } },
              }),
            ],
          },
        },
      });
      const slices = async () =>
        (await api.discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: 'kubernetes.io/service-name=drain' })).items;
      const up = await until('ready endpoint', ctx.timeoutMs, async () =>
        (await slices()).flatMap((s) => s.endpoints ?? []).find((e) => e.conditions?.ready === true),
      );
      check(up.conditions?.serving === true && up.conditions.terminating === false, 'ready endpoint serving, not terminating');
      check((await slices())[0]?.ports?.[0]?.port === 8080, 'named targetPort resolved to 8080');
      check(
        (await slices())[0]?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io',
        'managed-by label',
      );
      await api.core.deleteNamespacedPod({ name: 'drain-a', namespace: ns });
      const draining = await until('terminating endpoint', ctx.timeoutMs, async () =>
        (await slices()).flatMap((s) => s.endpoints ?? []).find((e) => e.conditions?.terminating === true),
      );
      check(
        draining.conditions?.ready === false && draining.conditions.serving === true,
        `draining conditions ${JSON.stringify(draining.conditions)}`,
      );
      const pod = await api.core.readNamespacedPod({ name: 'drain-a', namespace: ns });
      check(
        pod.metadata?.deletionTimestamp && pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
        'the terminating pod is still Ready during preStop',
      );
      await until('Endpoints drop the terminating pod', ctx.timeoutMs, async () => {
        const ep = await api.core.readNamespacedEndpoints({ name: 'drain', namespace: ns });
        return !(ep.subsets ?? []).some((s) => (s.addresses ?? []).length > 0 || (s.notReadyAddresses ?? []).length > 0);
      });
      // Still draining (preStop sleeps 5 s): the slice keeps the endpoint meanwhile.
      check(
        (await slices()).flatMap((s) => s.endpoints ?? []).some((e) => e.conditions?.terminating === true),
        'slice keeps the draining endpoint',
      );
    },
  },
];
