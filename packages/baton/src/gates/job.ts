import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { JsonObject } from '../json.js';
import type { RunContext } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Gate, GateVerdict } from './gate.js';
import { parseGateConfig, type GateEnv, type GateFactory } from './gate-factory.js';

const jobGateConfig = z
  .object({
    kind: z.literal('job'),
    /** A Kubernetes Job spec (`template`, `backoffLimit`...), created in the run's namespace. */
    job: z.record(z.string(), z.unknown()).optional(),
    /** Or an argv run where baton runs (no shell). */
    command: z.array(z.string()).min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** The release under test: BATON_RELEASE, and part of the Job's name. */
    release: z.string().optional(),
    app: z.string().optional(),
    /** The release's own Service: its URL becomes BATON_RELEASE_URL. */
    service: z.string().optional(),
    timeoutSeconds: z.number().positive().default(300),
  })
  .strict()
  .refine((c) => (c.job === undefined) !== (c.command === undefined), { message: 'give exactly one of job or command' });

export type JobGateConfig = z.infer<typeof jobGateConfig>;

const outputLimit = 2000;

interface JobLike extends KubeObject {
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}
interface PodLike extends KubeObject {
  status?: {
    phase?: string;
    containerStatuses?: Array<{ name: string; state?: { terminated?: { exitCode?: number; reason?: string; message?: string } } }>;
  };
}
interface ServiceLike extends KubeObject {
  spec?: { clusterIP?: string; ports?: Array<{ port: number }> };
}

/**
 * Integration tests as a gate (the Spawn seed: "integration tests will be run against each new
 * release before it becomes the active deployment"): a Kubernetes Job that must reach Complete,
 * or a command that must exit 0. Either gets BATON_RELEASE and BATON_RELEASE_URL (the release's
 * own Service, so tests never hit the active release by mistake). The output (the command's, or
 * the Job pods' termination messages) is in the verdict. A Job needs a cluster client: the step
 * registry binds one (`createJobGateFactory(kube)`).
 */
export function createJobGateFactory(kube: KubeClient | undefined): GateFactory {
  return (config: JsonObject, _env: GateEnv): Gate => {
    const c = parseGateConfig('job', jobGateConfig, config);
    return {
      name: c.command ? `tests \`${c.command.join(' ')}\`` : `tests Job${c.release ? ` for ${c.release}` : ''}`,
      async evaluate(ctx): Promise<GateVerdict> {
        const url = c.service && kube ? await serviceUrl(kube, ctx.namespace, c.service) : undefined;
        const env = { ...(c.env ?? {}), ...(c.release ? { BATON_RELEASE: c.release } : {}), ...(url ? { BATON_RELEASE_URL: url } : {}) };
        if (c.command) return runCommand(c.command, env, c.timeoutSeconds * 1000, ctx);
        if (!kube)
          return { kind: 'fail', reason: "a job gate with a Kubernetes Job needs a cluster client (use the step registry's gate step)" };
        return runJob(kube, ctx, c, env);
      },
    };
  };
}

async function serviceUrl(kube: KubeClient, namespace: string, name: string): Promise<string | undefined> {
  const svc = await kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name, namespace });
  const ip = svc?.spec?.clusterIP;
  return ip && ip !== 'None' ? `http://${ip}:${svc.spec?.ports?.[0]?.port ?? 80}` : undefined;
}

function runCommand(argv: string[], env: Record<string, string>, timeoutMs: number, ctx: RunContext): Promise<GateVerdict> {
  return new Promise((resolve, reject) => {
    let output = '';
    let timedOut = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: ctx.signal,
    });
    // Our own timer (not spawn's `timeout`, whose timer outlives a program that never started).
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const take = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-outputLimit);
      for (const line of chunk.toString().split('\n').filter(Boolean)) ctx.progress(`| ${line}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (error) => {
      clearTimeout(timer);
      if (ctx.signal.aborted) reject(error);
      else resolve({ kind: 'fail', reason: `\`${argv.join(' ')}\` could not run: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = output.trim() ? `\n${output.trim()}` : '';
      if (code === 0) resolve({ kind: 'pass', detail: `\`${argv.join(' ')}\` exited 0${tail}` });
      else
        resolve({
          kind: 'fail',
          reason: `\`${argv.join(' ')}\` ${signal ? `was killed (${signal}${timedOut ? `, timeout ${timeoutMs} ms` : ''})` : `exited ${code}`}${tail}`,
        });
    });
  });
}

async function runJob(kube: KubeClient, ctx: RunContext, c: JobGateConfig, env: Record<string, string>): Promise<GateVerdict> {
  const name = `${(c.app ?? 'baton').slice(0, 20)}-test-${(c.release ?? 'release').slice(0, 24)}-${randomBytes(3).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  const spec = structuredClone(c.job!) as {
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: {
        containers?: Array<{ env?: Array<{ name: string; value: string }>; terminationMessagePolicy?: string }>;
        restartPolicy?: string;
      };
    };
    backoffLimit?: number;
  };
  const template = spec.template ?? {};
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'baton.dev/test-run': name } };
  for (const container of template.spec?.containers ?? []) {
    container.env = [
      ...(container.env ?? []).filter((e) => !(e.name in env)),
      ...Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
    ];
    // The end of a failed test's log becomes its termination message, so the verdict carries it.
    container.terminationMessagePolicy ??= 'FallbackToLogsOnError';
  }
  if (template.spec && template.spec.restartPolicy === undefined) template.spec.restartPolicy = 'Never';
  spec.template = template;
  spec.backoffLimit ??= 0;
  ctx.progress(`creating Job ${name}`);
  await kube.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ctx.namespace, labels: { 'baton.dev/test-run': name, ...(c.app ? { 'baton.dev/app': c.app } : {}) } },
    spec,
  });
  let finished: { ok: boolean; detail: string };
  try {
    finished = await kube.watchUntil<JobLike, { ok: boolean; detail: string }>(
      { apiVersion: 'batch/v1', kind: 'Job', namespace: ctx.namespace, labelSelector: `baton.dev/test-run=${name}` },
      (jobs) => {
        const conditions = jobs.get(name)?.status?.conditions ?? [...jobs.values()][0]?.status?.conditions ?? [];
        const done = conditions.find((k) => (k.type === 'Complete' || k.type === 'Failed') && k.status === 'True');
        return done
          ? {
              ok: done.type === 'Complete',
              detail: `${done.type}${done.reason ? ` (${done.reason})` : ''}${done.message ? `: ${done.message}` : ''}`,
            }
          : undefined;
      },
      { timeoutMs: c.timeoutSeconds * 1000, signal: ctx.signal, what: `Job ${name} to finish` },
    );
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { kind: 'fail', reason: `Job ${name}: ${(error as Error).message}` };
  }
  const output = await podOutcomes(kube, ctx.namespace, name);
  return finished.ok
    ? { kind: 'pass', detail: `Job ${name} ${finished.detail}${output}` }
    : { kind: 'fail', reason: `Job ${name} ${finished.detail}${output}` };
}

/** What each of the Job's pods ended with (exit code, reason, termination message). */
async function podOutcomes(kube: KubeClient, namespace: string, job: string): Promise<string> {
  const { items } = await kube.list<PodLike>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: `baton.dev/test-run=${job}` });
  const lines = items.flatMap((p) =>
    (p.status?.containerStatuses ?? []).map((s) => {
      const t = s.state?.terminated;
      return `pod ${p.metadata.name}/${s.name}: ${t ? `exit ${t.exitCode ?? '?'}${t.reason ? ` ${t.reason}` : ''}${t.message ? `: ${t.message.trim().slice(-outputLimit)}` : ''}` : (p.status?.phase ?? 'unknown')}`;
    }),
  );
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
