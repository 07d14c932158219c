import type { ContainerProcess } from './container-process.js';
import type { LifecycleHandler } from './pod-types.js';
import type { ActionTarget } from './handler-action.js';
import { runAction } from './handler-action.js';

export interface KillOptions {
  /** Seconds from the start of preStop until SIGKILL. */
  grace: number;
  preStop: LifecycleHandler | undefined;
  target: ActionTarget;
  now: () => number;
}

/** The kubelet never gives SIGTERM less than this, even when preStop used up the grace period. */
const MIN_GRACE_MS = 2000;

/** A sleep that can be cancelled, so a finished kill leaves no timer keeping the process alive. */
function sleep(ms: number): { done: Promise<void>; cancel(): void } {
  let t: NodeJS.Timeout | undefined;
  const done = new Promise<void>((r) => {
    t = setTimeout(r, Math.max(0, ms));
  });
  return { done, cancel: () => clearTimeout(t) };
}

/**
 * Stops a container as the kubelet does: run preStop (bounded by the grace period), SIGTERM the
 * process group, SIGKILL it when the grace period (counted from the start of preStop) is over.
 * Resolves when the main process has exited.
 */
export async function killContainer(proc: ContainerProcess, o: KillOptions): Promise<void> {
  const start = o.now();
  const graceMs = o.grace * 1000;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  if (o.preStop && graceMs > 0) {
    const hook = o.preStop;
    const hookSleep = hook.sleep ? sleep(Math.min(hook.sleep.seconds * 1000, graceMs)) : undefined;
    const bounded = hookSleep ? hookSleep.done : runAction(hook, o.target, graceMs).then(() => undefined);
    const deadline = sleep(graceMs);
    // preStop ends early if the container exits on its own.
    await Promise.race([bounded, proc.exited.then(() => undefined), deadline.done]);
    hookSleep?.cancel();
    deadline.cancel();
  }
  if (exited) return;
  proc.signal('SIGTERM');
  const remaining = Math.max(graceMs - (o.now() - start), MIN_GRACE_MS);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((r) => {
    timer = setTimeout(() => {
      proc.signal('SIGKILL');
      r();
    }, remaining);
  });
  await Promise.race([proc.exited.then(() => undefined), killed]);
  clearTimeout(timer);
  await proc.exited;
}
