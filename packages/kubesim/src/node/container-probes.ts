import type { ContainerRecord } from './container-record.js';
import type { ActionTarget } from './handler-action.js';
import { Prober } from './prober.js';

export interface ProbeHooks {
  target(): ActionTarget;
  /** A failed attempt: the kubelet's Unhealthy event. */
  unhealthy(label: 'Startup' | 'Liveness' | 'Readiness', message: string): void;
  /** Liveness or startup gave up: kill the container (it restarts per restartPolicy). */
  kill(which: 'liveness' | 'startup', probeGraceSeconds: number | undefined): void;
  /** ready/started changed: write the status. */
  changed(): void;
  /** false while the pod terminates, unless readiness keeps being probed then (real-kubelet mode). */
  mayBeReady(): boolean;
}

/**
 * Starts a container's probes with the kubelet's ordering: the startup probe first; liveness and
 * readiness only once it passed. Without a readiness probe the container is ready once started.
 */
export function startContainerProbes(c: ContainerRecord, h: ProbeHooks): void {
  const spec = c.spec;
  const startMain = (): void => {
    c.started = true;
    c.everStarted = true;
    if (spec.livenessProbe) {
      const probe = spec.livenessProbe;
      const p = new Prober({
        kind: 'liveness',
        probe,
        target: h.target,
        onFailure: (r) => h.unhealthy('Liveness', r.message),
        onResult: (ok) => {
          if (!ok) h.kill('liveness', probe.terminationGracePeriodSeconds);
        },
      });
      c.probers.push(p);
      p.start();
    }
    if (spec.readinessProbe) {
      const p = new Prober({
        kind: 'readiness',
        probe: spec.readinessProbe,
        target: h.target,
        onFailure: (r) => h.unhealthy('Readiness', r.message),
        onResult: (ok) => {
          c.ready = ok && h.mayBeReady();
          h.changed();
        },
      });
      c.probers.push(p);
      p.start();
    } else {
      c.ready = true;
    }
    h.changed();
  };
  if (!spec.startupProbe) return startMain();
  const probe = spec.startupProbe;
  const p = new Prober({
    kind: 'startup',
    probe,
    target: h.target,
    onFailure: (r) => h.unhealthy('Startup', r.message),
    onResult: (ok) => {
      if (ok) {
        p.stop();
        c.probers = c.probers.filter((x) => x !== p);
        startMain();
      } else {
        h.kill('startup', probe.terminationGracePeriodSeconds);
      }
    },
  });
  c.probers.push(p);
  p.start();
}
