import type { ManifestHit, ManifestRule } from '../../manifest/manifest-rule.js';
import { valueAt } from '../../manifest/value-at.js';
import { workloads } from '../../manifest/workloads.js';

const probes = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

/**
 * A probe on a port the container does not listen on never succeeds: readiness keeps the pod out
 * of service forever (the rollout stalls), liveness restarts it in a loop. Numeric ports are only
 * checked when the container declares its ports.
 */
export const probePortMismatch: ManifestRule = {
  severity: 'error',
  summary: 'probe points at a port the container does not expose',
  check: (manifests) =>
    workloads(manifests).flatMap((w) =>
      w.containers.flatMap((c): ManifestHit[] => {
        const declared = Array.isArray(c.container['ports']) ? (c.container['ports'] as Record<string, unknown>[]) : [];
        const numbers = declared.map((p) => p['containerPort']);
        const names = declared.map((p) => p['name']);
        return probes.flatMap((probe): ManifestHit[] => {
          for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
            const port = valueAt(c.container, [probe, handler, 'port']);
            if (port === undefined) continue;
            const ok =
              typeof port === 'string' && !/^\d+$/.test(port)
                ? names.includes(port)
                : declared.length === 0 || numbers.includes(Number(port));
            if (ok) return [];
            return [
              {
                manifest: w.manifest,
                path: [...c.path, probe, handler, 'port'],
                message: `${probe} of container ${c.name} (${w.kind} ${w.name}) targets port ${String(port)}, which the container does not expose (ports: ${declared.map((p) => p['name'] ?? p['containerPort']).join(', ') || 'none'})`,
                hint: `Point the probe at a declared containerPort${names.some((n) => n !== undefined) ? ` or port name (${names.filter((n) => n !== undefined).join(', ')})` : ''}, or declare the port it uses.`,
              },
            ];
          }
          return [];
        });
      }),
    ),
};
