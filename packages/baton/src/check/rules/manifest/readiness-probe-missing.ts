import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { workloads } from '../../manifest/workloads.js';

/**
 * Without a readinessProbe a pod receives traffic as soon as its process starts, before it can
 * serve: every rollout drops the requests sent to starting pods.
 */
export const readinessProbeMissing: ManifestRule = {
  severity: 'error',
  summary: 'container without a readinessProbe gets traffic before it can serve',
  check: (manifests) =>
    workloads(manifests)
      .filter((w) => w.kind !== 'DaemonSet')
      .flatMap((w) =>
        w.containers
          .filter((c) => c.container['readinessProbe'] === undefined)
          .map((c) => ({
            manifest: w.manifest,
            path: c.path,
            message: `container ${c.name} of ${w.kind} ${w.name} has no readinessProbe: new pods get traffic before the app is ready`,
            hint: `Add readinessProbe: { httpGet: { path: /ready, port: <port> }, periodSeconds: 2, failureThreshold: 2 } to container ${c.name}, answering 200 only once it can serve.`,
          })),
      ),
};
