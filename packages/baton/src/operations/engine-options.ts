import type { EngineOptions } from '../engine/engine-options.js';
import type { ProbeReader } from '../engine/step.js';
import { stepRegistry } from '../upgrade/step-registry.js';
import type { OperationPorts } from './ports.js';

/** The engine's options from the ports: the same journal, lock and step kinds for every verb. */
export function engineOptions(
  ports: OperationPorts,
  extra: { probe?: ProbeReader; onEvent?: EngineOptions['onEvent'] } = {},
): EngineOptions {
  const { clock } = ports;
  const onEvent = extra.onEvent ?? ports.onEvent;
  return {
    journal: ports.journal,
    lock: ports.lock,
    registry: ports.registry ?? stepRegistry(ports.kube, { env: ports.env ?? {} }),
    ...(extra.probe ? { probe: extra.probe } : {}),
    ...(ports.log ? { log: ports.log } : {}),
    ...(clock ? { now: () => clock.now(), delay: (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal) } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(ports.signal ? { signal: ports.signal } : {}),
    ...(ports.holder ? { holder: ports.holder } : {}),
    ...(ports.lockRenewMs ? { lockRenewMs: ports.lockRenewMs } : {}),
    ...(ports.abortPollMs ? { abortPollMs: ports.abortPollMs } : {}),
  };
}
