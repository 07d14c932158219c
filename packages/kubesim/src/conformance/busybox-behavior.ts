import type { V1Pod } from '@kubernetes/client-node';
import type { PodBehavior } from '../testing/fake-node.js';

/** The fake node's reading of a busybox pod: `exit N`, failing exec probes, preStop sleeps. */
export function busyboxBehavior(pod: V1Pod): PodBehavior {
  const c = pod.spec?.containers?.[0];
  const cmd = (c?.command ?? []).join(' ');
  const exit = /exit (\d+)/.exec(cmd);
  const probe = c?.readinessProbe?.exec?.command?.join(' ');
  const stop = /sleep (\d+)/.exec(c?.lifecycle?.preStop?.exec?.command?.join(' ') ?? '');
  return {
    readyDelayMs: 50,
    ...(exit ? { exit: { afterMs: 100, code: Number(exit[1]) } } : {}),
    ...(probe === 'false' ? { ready: false } : {}),
    terminationDelayMs: stop ? Number(stop[1]) * 1000 : 50,
  };
}
