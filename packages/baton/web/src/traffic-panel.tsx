import type { TrafficView } from '../../src/dashboard/run-view.js';
import type { ProbeStats } from '../../src/engine/step.js';
import { VERSION_PALETTE } from '../../src/report/timeline-svg.js';
import { percent } from './format.js';

function Bar({ parts, testId }: { parts: Array<{ label: string; value: number; color: string }>; testId: string }) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  return (
    <div class="split" data-testid={testId}>
      <div class="split-bar">
        {parts
          .filter((p) => p.value > 0)
          .map((p) => (
            <span
              key={p.label}
              style={{ width: `${(p.value / Math.max(1, total)) * 100}%`, background: p.color }}
              title={`${p.label}: ${percent(p.value, total)}`}
            />
          ))}
      </div>
      <div class="split-legend">
        {parts.map((p) => (
          <span key={p.label} data-version={p.label}>
            <i style={{ background: p.color }} />
            {p.label} <strong>{percent(p.value, total)}</strong>
          </span>
        ))}
      </div>
    </div>
  );
}

/** Weights set on the router (read back from the cluster) beside the split the probe measured. */
export function TrafficPanel({
  traffic,
  stableVersion,
  newVersion,
  versions,
  live,
  liveBy,
}: {
  traffic: TrafficView;
  stableVersion: string;
  newVersion: string;
  versions: string[];
  live?: ProbeStats | undefined;
  liveBy?: 'dashboard' | 'controller' | undefined;
}) {
  const colorOf = (v: string): string => VERSION_PALETTE[Math.max(0, versions.indexOf(v)) % VERSION_PALETTE.length] ?? '#888';
  const set = traffic.set;
  const measured = traffic.measured;
  const answered = measured ? Object.values(measured.byVersion).reduce((a, b) => a + b, 0) : 0;
  return (
    <div class="card traffic">
      <h2>Traffic split</h2>
      <div class="traffic-row">
        <h3>Weights set</h3>
        {set === null ? (
          <p class="muted">This strategy moves no weights (no traffic router).</p>
        ) : 'error' in set ? (
          <p class="banner warn">
            cannot read the {set.router} router: {set.error}
          </p>
        ) : (
          <>
            <Bar
              testId="split-set"
              parts={[
                { label: `stable side: ${stableVersion}`, value: 100 - set.weight, color: colorOf(stableVersion) },
                { label: `canary side: ${newVersion}`, value: set.weight, color: colorOf(newVersion) },
              ]}
            />
            <p class="muted small">
              {set.router}
              {set.precision === 'approximate' ? ' — approximate: replica counts' : ''}
              {set.route
                ? ` · ${set.route.kind === 'header' ? `header ${set.route.name}: ${set.route.value}` : `cookie ${set.route.name}`} → new`
                : ''}
            </p>
          </>
        )}
      </div>
      <div class="traffic-row">
        <h3>Measured by the probe</h3>
        {!measured || answered === 0 ? (
          <p class="muted">not measured (no probe record for this run yet)</p>
        ) : (
          <>
            <Bar
              testId="split-measured"
              parts={Object.entries(measured.byVersion).map(([v, n]) => ({ label: v, value: n, color: colorOf(v) }))}
            />
            <p class="muted small">
              {answered} answers in {((measured.toMs - measured.fromMs) / 1000).toFixed(1)} s{' '}
              {measured.basis.kind === 'since-weight'
                ? `after the weight was set to ${measured.basis.weight}%`
                : 'before the probe stopped'}
              , until {new Date(measured.toMs).toLocaleTimeString()}
            </p>
          </>
        )}
      </div>
      {live && (
        <div class="traffic-row" data-testid="split-live">
          <h3>{liveBy === 'controller' ? "Live: the controller's probe" : "Live: this dashboard's probe"}</h3>
          <Bar
            testId="split-live-bar"
            parts={Object.entries(live.byVersion).map(([v, n]) => ({ label: v, value: n, color: colorOf(v) }))}
          />
          <p class="muted small">
            {live.requests} requests, {live.failed} failed{live.p99Ms !== null ? `, p99 ${Math.round(live.p99Ms)} ms` : ''}
            {live.streamsStarted ? `, ${live.streamsCut} of ${live.streamsStarted} streams cut` : ''}{' '}
            {liveBy === 'controller' ? 'since the run began' : 'since the promotion began'}
          </p>
        </div>
      )}
    </div>
  );
}
