import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';

/**
 * Waits until no pod of an older release is left, terminating ones included: a pod in its grace
 * period still runs old code and may still write. Backfills and contract migrations wait on this
 * evidence rather than on a timer.
 */
export function createAwaitOldPodsStep(kube: KubeClient): StepKind {
  return {
    kind: 'await-old-pods',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const labels = step.params.selector as Record<string, string>;
      const release = step.params.release as string;
      const timeoutSeconds = (step.params.timeoutSeconds as number | undefined) ?? 600;
      // `!=` also matches pods without the label: releases deployed before baton count as old.
      const labelSelector = [selectorString(labels), `baton.dev/release!=${release}`].filter(Boolean).join(',');
      const started = ctx.now();
      try {
        await kube.watchUntil<KubeObject, true>({ apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector }, (pods) => {
          if (pods.size === 0) return true;
          ctx.progress(`${pods.size} pod(s) of older releases still running: ${[...pods.values()].map((p) => p.metadata.name).slice(0, 5).join(', ')}`);
          return undefined;
        }, { timeoutMs: timeoutSeconds * 1000, signal: ctx.signal, what: 'pods of older releases to be gone' });
      } catch (error) {
        return { kind: 'failed', reason: (error as Error).message };
      }
      return { kind: 'done', summary: `no pod of an older release is left (waited ${((ctx.now() - started) / 1000).toFixed(1)}s)` };
    },
  };
}
