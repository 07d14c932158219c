import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { StepKind } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';

/** Params of an `await-old-pods` step: the app's pods, the release that is not old, how long to wait. */
const awaitOldPodsParams = z
  .object({
    selector: z.record(z.string(), z.string()),
    release: z.string().min(1),
    timeoutSeconds: z.number().positive().default(600),
  })
  .strict();

/**
 * Waits until no pod of an older release is left, terminating ones included: a pod in its grace
 * period still runs old code and may still write. Backfills and contract migrations wait on this
 * evidence rather than on a timer.
 */
export const awaitOldPodsStep = defineStepKind({
  kind: 'await-old-pods',
  params: awaitOldPodsParams,
  async run(ctx, params, kube: KubeClient) {
    // `!=` also matches pods without the label: releases deployed before baton count as old.
    const labelSelector = [selectorString(params.selector), `baton.dev/release!=${params.release}`].filter(Boolean).join(',');
    const started = ctx.now();
    try {
      await kube.watchUntil<KubeObject, true>(
        { apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector },
        (pods) => {
          if (pods.size === 0) return true;
          ctx.progress(
            `${pods.size} pod(s) of older releases still running: ${[...pods.values()]
              .map((p) => p.metadata.name)
              .slice(0, 5)
              .join(', ')}`,
          );
          return undefined;
        },
        { timeoutMs: params.timeoutSeconds * 1000, signal: ctx.signal, what: 'pods of older releases to be gone' },
      );
    } catch (error) {
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
    return { kind: 'done', summary: `no pod of an older release is left (waited ${((ctx.now() - started) / 1000).toFixed(1)}s)` };
  },
});

export function createAwaitOldPodsStep(kube: KubeClient): StepKind {
  return bindStepKind(awaitOldPodsStep, kube);
}
