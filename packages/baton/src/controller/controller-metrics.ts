import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The controller's Prometheus metrics, on their own registry (never the global one, so tests and
 * two controllers in one process do not collide). Names follow Prometheus conventions: a
 * `baton_controller_` prefix, base units, `_total` for counters.
 */
export class ControllerMetrics {
  readonly registry = new Registry();
  readonly releases: Gauge<'phase'>;
  readonly stepDuration: Histogram<'kind' | 'result'>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly reconcileErrors: Counter<'reason'>;
  readonly probeRequests: Counter<'app'>;
  readonly probeFailures: Counter<'app'>;
  readonly leader: Gauge;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.releases = new Gauge({
      name: 'baton_controller_releases',
      help: 'Releases seen by the controller, by phase',
      labelNames: ['phase'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'baton_controller_step_duration_seconds',
      help: 'Time one step took, by step kind and result',
      labelNames: ['kind', 'result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'baton_controller_reconcile_duration_seconds',
      help: 'Time one reconcile took (a step included)',
      labelNames: ['result'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'baton_controller_reconcile_errors_total',
      help: 'Reconciles that ended with an error, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.probeRequests = new Counter({
      name: 'baton_controller_probe_requests_total',
      help: 'Probe requests sent by this replica',
      labelNames: ['app'],
      registers,
    });
    this.probeFailures = new Counter({
      name: 'baton_controller_probe_failed_requests_total',
      help: 'Probe requests that failed (status, refused, reset, timeout)',
      labelNames: ['app'],
      registers,
    });
    this.leader = new Gauge({ name: 'baton_controller_leader', help: '1 while this replica holds the leader Lease', registers });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'baton_controller_' });
  }
}
