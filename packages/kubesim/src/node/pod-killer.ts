import type { ContainerRecord } from './container-record.js';
import type { ActionTarget } from './handler-action.js';
import { killContainer } from './kill-container.js';

export interface PodKillOptions {
  graceSeconds: number;
  /** Run preStop hooks (pod deletion) or not (force deletion, node shutdown paths). */
  runPreStop: boolean;
  /** Keep readiness probes running while stopping (real-kubelet termination). */
  keepReadiness: boolean;
  target(c: ContainerRecord): ActionTarget;
  now(): number;
}

/** Stops one container (waiting for a kill already under way) and resolves when it has exited. */
export async function stopContainer(c: ContainerRecord, graceSeconds: number, o: Omit<PodKillOptions, 'graceSeconds'>): Promise<void> {
  c.stopProbers(o.keepReadiness);
  if (c.waitTimer) clearTimeout(c.waitTimer);
  if (c.killing) await c.killing;
  const proc = c.proc;
  if (!proc) return;
  await killContainer(proc, {
    grace: graceSeconds,
    preStop: o.runPreStop ? c.spec.lifecycle?.preStop : undefined,
    target: o.target(c),
    now: o.now,
  });
  await proc.exited;
}

/** Stops the sidecars one by one in reverse order, within what is left of the grace period. */
export async function stopSidecars(init: ContainerRecord[], o: PodKillOptions, deadline = o.now() + o.graceSeconds * 1000): Promise<void> {
  for (const c of [...init].reverse()) {
    if (!c.isSidecar) continue;
    c.done = true;
    await stopContainer(c, Math.max(0, (deadline - o.now()) / 1000), o);
  }
}

/**
 * The pod kill order of Kubernetes: the containers (and any running plain init container) all at
 * once, each with the full grace period; then the sidecars in reverse order.
 */
export async function killPodContainers(init: ContainerRecord[], containers: ContainerRecord[], o: PodKillOptions): Promise<void> {
  const deadline = o.now() + o.graceSeconds * 1000;
  for (const c of init) if (c.isSidecar) c.stopProbers(o.keepReadiness);
  await Promise.all([...init, ...containers].filter((c) => !c.isSidecar).map((c) => stopContainer(c, o.graceSeconds, o)));
  await stopSidecars(init, o, deadline);
}
