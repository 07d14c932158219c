import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { createVerifyStep } from './verify-step.js';

const units: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "199 MB", "199MB", "1.5 GiB", "5737" -> bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kKmMgGtT]?i?[bB])?\s*$/.exec(text);
  if (!m) return undefined;
  const factor = units[(m[2] ?? 'b').toLowerCase()];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/**
 * A backup taken by a command inside a pod, like the Castopod seed's
 * `kubectl exec deploy/borgmatic -- borgmatic --stats`. Passes on exit 0; the output goes to the
 * journal and the report, and the size is read from it when a sizePattern says where.
 */
export function createExecBackupStep(kube: KubeClient): StepKind {
  const exec = createVerifyStep(kube);
  return {
    kind: 'exec-backup',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const result = await exec.run(ctx, { ...step, params: { hook: { name: step.id, exec: step.params.exec, timeoutSeconds: step.params.timeoutSeconds, retries: 0 } as never, newDeployment: '' } });
      if (result.kind !== 'done') return result;
      const stdout = String(result.data?.stdout ?? '') + String(result.data?.stderr ?? '');
      const pattern = step.params.sizePattern as string | undefined;
      const match = pattern ? new RegExp(pattern, 'm').exec(stdout) : null;
      const size = match?.[1] !== undefined ? parseSize(match[1]) : undefined;
      return {
        kind: 'done',
        summary: `backup command exited 0${size !== undefined ? `, size ${match![1]}` : pattern ? ' (size pattern did not match the output)' : ''}`,
        data: { ...(result.data ?? {}), format: `exec: ${(step.params.exec as { command: string[] }).command.join(' ')}`, ...(size !== undefined ? { fileBytes: size } : {}), verified: false },
      };
    },
  };
}
