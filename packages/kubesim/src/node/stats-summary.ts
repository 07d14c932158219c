import { freemem, totalmem } from 'node:os';
import type { PodWorker } from './pod-worker.js';
import { usageByGroup } from './pod-stats.js';

const started = new Date().toISOString();

/**
 * A minimal Summary API (/stats/summary) document: per pod and container, CPU time
 * (utime+stime of the container's process group, /proc) and RSS. usageNanoCores is left out:
 * it needs two samples and callers can derive it from usageCoreNanoSeconds.
 */
export function statsSummary(nodeName: string, workers: PodWorker[], now: () => number): object {
  const time = new Date(now()).toISOString();
  const running = workers.map((w) => ({ w, procs: w.runningPids() }));
  const usage = usageByGroup(running.flatMap((r) => r.procs.map((p) => p.pid)));
  const pods = running.map(({ w, procs }) => {
    const containers = procs.map((p) => {
      const u = usage.get(p.pid) ?? { cpuNanos: 0, rssBytes: 0 };
      return {
        name: p.container,
        startTime: p.startedAt,
        cpu: { time, usageCoreNanoSeconds: Math.round(u.cpuNanos) },
        memory: { time, rssBytes: u.rssBytes, workingSetBytes: u.rssBytes },
      };
    });
    const cpu = containers.reduce((a, c) => a + c.cpu.usageCoreNanoSeconds, 0);
    const rss = containers.reduce((a, c) => a + c.memory.rssBytes, 0);
    return {
      podRef: { name: w.name, namespace: w.namespace, uid: w.uid },
      startTime: procs[0]?.startedAt ?? time,
      containers,
      cpu: { time, usageCoreNanoSeconds: cpu },
      memory: { time, rssBytes: rss, workingSetBytes: rss },
    };
  });
  return {
    node: {
      nodeName,
      startTime: started,
      memory: { time, availableBytes: freemem(), usageBytes: totalmem() - freemem(), workingSetBytes: totalmem() - freemem() },
    },
    pods,
  };
}
