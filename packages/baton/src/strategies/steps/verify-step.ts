import type { JsonObject } from '../../json.js';
import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { hookSchema } from '../../spec/schema.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import { selectorString } from '../../kube/label-selector.js';

/** Params of a `verify` step. */
const verifyParams = z
  .object({
    hook: hookSchema,
    /** Deployment of the release under test ("new") and the one it replaces ("old"). */
    newDeployment: z.string(),
    oldDeployment: z.string().optional(),
    /** Service whose ClusterIP a hook `path` is resolved against (the preview Service in blue-green). */
    service: z.string().optional(),
  })
  .strict();

export type VerifyParams = z.output<typeof verifyParams>;

/** What a verify step needs from outside: the cluster, and fetch (tests pass their own). */
export interface VerifyDeps {
  kube: KubeClient;
  fetchImpl: typeof fetch;
}

interface PodLike extends KubeObject {
  spec: { containers: Array<{ name: string; image: string }> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

const outputLimit = 4000;
/** How long an HTTP hook waits for a new Service to start routing before a connection error counts. */
const settleMs = 15_000;

/**
 * A verification hook: a command inside a pod (`kubectl exec`, like the Castopod seed's
 * `php spark migrate:status`) or an HTTP check. Passes on exit 0 / the expected answer; its output
 * goes to the journal and the report. A failure here, before the point of no return, rolls back.
 */
export const verifyStep = defineStepKind({
  kind: 'verify',
  params: verifyParams,
  run: (ctx, params, deps: VerifyDeps) => runVerify(ctx, params, deps),
});

export function createVerifyStep(kube: KubeClient, fetchImpl: typeof fetch = fetch): StepKind {
  return bindStepKind(verifyStep, { kube, fetchImpl });
}

/** Runs a hook with its retries; also the core of exec-backup. */
export async function runVerify(ctx: RunContext, params: VerifyParams, { kube, fetchImpl }: VerifyDeps): Promise<StepResult> {
  const attempts = params.hook.retries + 1;
  let last: StepResult = { kind: 'failed', reason: 'not run' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      ctx.progress(`retry ${attempt - 1}/${params.hook.retries}`);
      await ctx.delay(Math.min(10_000, 1000 * 2 ** (attempt - 2)));
    }
    last = params.hook.exec ? await runExec(kube, ctx, params) : await runHttp(kube, ctx, params, fetchImpl);
    if (last.kind === 'done') return last;
  }
  return last;
}

async function runExec(kube: KubeClient, ctx: RunContext, params: VerifyParams): Promise<StepResult> {
  const exec = params.hook.exec!;
  let deployment = exec.release === 'old' ? params.oldDeployment : params.newDeployment;
  let podName: string | undefined;
  if (exec.target) {
    const [type, name] = exec.target.split('/') as [string, string];
    if (type === 'pod' || type === 'po') podName = name;
    else deployment = name;
  }
  let container = exec.container;
  if (podName === undefined) {
    if (deployment === undefined)
      return { kind: 'failed', reason: `hook ${params.hook.name}: there is no ${exec.release ?? 'new'} release to run in` };
    const picked = await pickReadyPod(kube, ctx.namespace, deployment);
    if (typeof picked === 'string') return { kind: 'failed', reason: `hook ${params.hook.name}: ${picked}` };
    podName = picked.metadata.name;
    container ??= picked.spec.containers[0]?.name;
  }
  if (container === undefined) {
    const pod = await kube.get<PodLike>({ apiVersion: 'v1', kind: 'Pod', name: podName, namespace: ctx.namespace });
    container = pod?.spec.containers[0]?.name ?? '';
  }
  ctx.progress(`exec in pod ${podName}: ${exec.command.join(' ')}`);
  try {
    const result = await kube.exec(ctx.namespace, podName, container, exec.command, {
      timeoutMs: params.hook.timeoutSeconds * 1000,
      signal: ctx.signal,
      onStdout: (s) => {
        for (const line of s.split('\n').filter(Boolean)) ctx.progress(`| ${line}`);
      },
      onStderr: (s) => {
        for (const line of s.split('\n').filter(Boolean)) ctx.progress(`! ${line}`);
      },
    });
    const data: JsonObject = {
      pod: podName,
      command: exec.command,
      exitCode: result.exitCode,
      stdout: result.stdout.slice(-outputLimit),
      stderr: result.stderr.slice(-outputLimit),
    };
    if (result.exitCode !== 0)
      return {
        kind: 'failed',
        reason: `hook ${params.hook.name}: \`${exec.command.join(' ')}\` exited ${result.exitCode}${result.stderr ? `: ${result.stderr.trim().slice(-300)}` : ''}`,
        data,
      };
    return { kind: 'done', summary: `\`${exec.command.join(' ')}\` exited 0 in ${podName}`, data };
  } catch (error) {
    return { kind: 'failed', reason: `hook ${params.hook.name}: ${(error as Error).message}` };
  }
}

async function pickReadyPod(kube: KubeClient, namespace: string, deployment: string): Promise<PodLike | string> {
  const d = await kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, namespace });
  if (!d) return `Deployment ${namespace}/${deployment} does not exist`;
  const selector = selectorString(d.spec.selector.matchLabels);
  const image = d.spec.template.spec.containers[0]?.image;
  const { items } = await kube.list<PodLike>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector });
  const ready = items.filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  const current = ready.find((p) => p.spec.containers[0]?.image === image) ?? ready[0];
  return current ?? `Deployment ${namespace}/${deployment} has no ready pod to run the command in`;
}

async function runHttp(kube: KubeClient, ctx: RunContext, params: VerifyParams, fetchImpl: typeof fetch): Promise<StepResult> {
  const http = params.hook.http!;
  let url = http.url;
  if (url === undefined) {
    const svc = await kube.get<KubeObject & { spec?: { clusterIP?: string; ports?: Array<{ port: number }> } }>({
      apiVersion: 'v1',
      kind: 'Service',
      name: params.service ?? '',
      namespace: ctx.namespace,
    });
    if (!svc?.spec?.clusterIP)
      return {
        kind: 'failed',
        reason: `hook ${params.hook.name}: Service ${params.service ?? '(none)'} has no ClusterIP to send ${http.path} to; give hook.http.url`,
      };
    url = `http://${svc.spec.clusterIP}:${svc.spec.ports?.[0]?.port ?? 80}${http.path ?? '/'}`;
  }
  ctx.progress(`GET ${url}`);
  const deadline = ctx.now() + Math.min(settleMs, params.hook.timeoutSeconds * 1000);
  try {
    let response: Response;
    for (;;) {
      try {
        response = await fetchImpl(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(params.hook.timeoutSeconds * 1000)]) });
        break;
      } catch (error) {
        // A Service created a moment ago is not routed yet (proxies learn endpoints late, as
        // kube-proxy does): a refused connection then is the network settling, not the app
        // failing. Wrong answers fail at once; connection errors only after the settle time.
        if (ctx.signal.aborted || ctx.now() >= deadline) throw error;
        await ctx.delay(250);
      }
    }
    const body = await response.text();
    const data: JsonObject = { url, status: response.status, body: body.slice(0, outputLimit) };
    if (response.status !== http.expectStatus)
      return {
        kind: 'failed',
        reason: `hook ${params.hook.name}: GET ${url} answered ${response.status}, expected ${http.expectStatus}`,
        data,
      };
    if (http.expectJson) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return { kind: 'failed', reason: `hook ${params.hook.name}: GET ${url} did not answer JSON`, data };
      }
      for (const [key, want] of Object.entries(http.expectJson)) {
        if (JSON.stringify(parsed[key]) !== JSON.stringify(want))
          return {
            kind: 'failed',
            reason: `hook ${params.hook.name}: ${key} is ${JSON.stringify(parsed[key])}, expected ${JSON.stringify(want)}`,
            data,
          };
      }
    }
    return { kind: 'done', summary: `GET ${url} -> ${response.status}`, data };
  } catch (error) {
    return { kind: 'failed', reason: `hook ${params.hook.name}: GET ${url} failed: ${(error as Error).message}` };
  }
}
