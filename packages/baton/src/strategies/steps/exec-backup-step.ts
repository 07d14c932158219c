import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { execHookSchema } from '../../spec/schema.js';
import { runVerify, type VerifyDeps } from './verify-step.js';

const units: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "199 MB", "199MB", "1.5 GiB", "5737" -> bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kKmMgGtT]?i?[bB])?\s*$/.exec(text);
  if (!m) return undefined;
  const factor = units[(m[2] ?? 'b').toLowerCase()];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** Params of an `exec-backup` step: the command, where it runs, and where its output says the size. */
const execBackupParams = z
  .object({
    exec: execHookSchema,
    timeoutSeconds: z.number().positive().default(600),
    sizePattern: z.string().min(1).optional(),
  })
  .strict();

/**
 * A backup taken by a command inside a pod, like the Castopod seed's
 * `kubectl exec deploy/borgmatic -- borgmatic --stats`. Passes on exit 0; the output goes to the
 * journal and the report, and the size is read from it when a sizePattern says where.
 */
export const execBackupStep = defineStepKind({
  kind: 'exec-backup',
  params: execBackupParams,
  async run(ctx, params, deps: VerifyDeps, step) {
    const hook = { name: step.id, exec: params.exec, timeoutSeconds: params.timeoutSeconds, retries: 0 };
    const result = await runVerify(ctx, { hook, newDeployment: '' }, deps);
    if (result.kind !== 'done') return result;
    const stdout = String(result.data?.stdout ?? '') + String(result.data?.stderr ?? '');
    const match = params.sizePattern ? new RegExp(params.sizePattern, 'm').exec(stdout) : null;
    const sizeText = match?.[1];
    const size = sizeText !== undefined ? parseSize(sizeText) : undefined;
    return {
      kind: 'done',
      summary: `backup command exited 0${size !== undefined ? `, size ${sizeText}` : params.sizePattern ? ' (size pattern did not match the output)' : ''}`,
      data: {
        ...(result.data ?? {}),
        format: `exec: ${params.exec.command.join(' ')}`,
        ...(size !== undefined ? { fileBytes: size } : {}),
        verified: false,
      },
    };
  },
});

export function createExecBackupStep(kube: KubeClient): StepKind {
  return bindStepKind(execBackupStep, { kube, fetchImpl: fetch });
}
