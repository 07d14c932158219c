import { freemem, totalmem } from 'node:os';
import type { PodWorker } from './pod-worker.js';
import { usageByGroup } from './pod-stats.js';

const started = new Date().toISOString();

/** CPU samples of the previous call, per process group, for usageNanoCores. */
export type CpuSamples = Map<number, { at: number; cpuNanos: number }>;

/**
 * A minimal Summary API (/stats/summary) document: per pod and container, CPU time
 * (utime+stime of the container's process group, /proc), usageNanoCores since the previous call
 * (absent on the first), and RSS.
 */
export function statsSummary(nodeName: string, workers: PodWorker[], now: () => number, samples: CpuSamples = new Map()): object {
  const at = now();
  const time = new Date(at).toISOString();
  const running = workers.map((w) => ({ w, procs: w.runningPids() }));
  const usage = usageByGroup(running.flatMap((r) => r.procs.map((p) => p.pid)));
  const pods = running.map(({ w, procs }) => {
    const containers = procs.map((p) => {
      const u = usage.get(p.pid) ?? { cpuNanos: 0, rssBytes: 0 };
      const prev = samples.get(p.pid);
      samples.set(p.pid, { at, cpuNanos: u.cpuNanos });
      const rate =
        prev && at > prev.at
          ? { usageNanoCores: Math.max(0, Math.round(((u.cpuNanos - prev.cpuNanos) / ((at - prev.at) * 1e6)) * 1e9)) }
          : {};
      return {
        name: p.container,
        startTime: p.startedAt,
        cpu: { time, usageCoreNanoSeconds: Math.round(u.cpuNanos), ...rate },
        memory: { time, rssBytes: u.rssBytes, workingSetBytes: u.rssBytes },
      };
    });
    const cpu = containers.reduce((a, c) => a + c.cpu.usageCoreNanoSeconds, 0);
    const nanoCores =
      containers.every((c) => 'usageNanoCores' in c.cpu) && containers.length > 0
        ? { usageNanoCores: containers.reduce((a, c) => a + ((c.cpu as { usageNanoCores?: number }).usageNanoCores ?? 0), 0) }
        : {};
    const rss = containers.reduce((a, c) => a + c.memory.rssBytes, 0);
    return {
      podRef: { name: w.name, namespace: w.namespace, uid: w.uid },
      startTime: procs[0]?.startedAt ?? time,
      containers,
      cpu: { time, usageCoreNanoSeconds: cpu, ...nanoCores },
      memory: { time, rssBytes: rss, workingSetBytes: rss },
    };
  });
  const live = new Set(usage.keys());
  for (const k of samples.keys()) if (!live.has(k)) samples.delete(k);
  return {
    node: {
      nodeName,
      startTime: started,
      memory: { time, availableBytes: freemem(), usageBytes: totalmem() - freemem(), workingSetBytes: totalmem() - freemem() },
    },
    pods,
  };
}
