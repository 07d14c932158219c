import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RunView } from '../../src/dashboard/run-view.js';
import { formatBytes } from '../../src/report/format.js';
import { summarize } from '../../src/report/summarize.js';
import { renderTimelineSvg, versionOrder } from '../../src/report/timeline-svg.js';
import { follow, getRun, type ApiError } from './api.js';
import { ProbeCharts } from './charts.js';
import { ago, statusTone } from './format.js';
import { StepList } from './step-list.js';
import { TrafficPanel } from './traffic-panel.js';
import { useAction } from './use-action.js';

const labels = { promote: 'Promote', abort: 'Abort', retry: 'Retry', rollback: 'Rollback' } as const;

export function RunPage({ token, runId }: { token: string | null; runId: string }) {
  const [run, setRun] = useState<RunView | null>(null);
  const [notFound, setNotFound] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [now, setNow] = useState(Date.now());
  const { ask, dialog, messages } = useAction(token);

  useEffect(() => {
    const stop = new AbortController();
    void getRun(token, runId).then((r) => {
      if (r.ok) setRun(r.value);
      else if (r.error.code === 'RUN_NOT_FOUND') setNotFound(`${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ''}.`);
      else setProblem(r.error);
    });
    void follow(
      token,
      runId,
      {
        apps: () => undefined,
        run: (v) => {
          setRun(v);
          setGone(null);
          setNotFound(null);
        },
        missing: (message) => setGone(message),
        error: setProblem,
      },
      stop.signal,
    );
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      stop.abort();
      clearInterval(tick);
    };
  }, [token, runId]);

  const timeline = useMemo(() => (run ? renderTimelineSvg(run.record, { now: run.updatedAt }) : ''), [run]);

  if (notFound && !run) {
    return (
      <div class="empty">
        <div class="banner bad" role="alert" data-testid="run-not-found">
          {notFound}
        </div>
        <a href="#/">← all apps</a>
      </div>
    );
  }
  if (!run) return <p class="muted">{problem ? problem.message : 'Loading…'}</p>;

  const r = run.record;
  const summary = summarize(r).rows;
  const versions = versionOrder(r);
  const finished = ['succeeded', 'rolled-back', 'aborted', 'failed'].includes(run.status);
  return (
    <section class="run" data-run={run.runId} data-status={run.status}>
      {gone && (
        <div class="banner bad" role="alert" data-testid="run-gone">
          <strong>This run is gone.</strong> {gone}
        </div>
      )}
      {problem && (
        <div class="banner warn" role="alert">
          {problem.message}
        </div>
      )}
      {messages}
      <header class="run-head card">
        <div class="run-title">
          <span class={`pill big ${statusTone(run.status)}`} data-testid="run-status">
            {run.status}
          </span>
          <h1>
            {run.app} <span class="muted">{run.fromVersion}</span> → {run.toVersion}
          </h1>
        </div>
        <div class="run-facts">
          <span>{run.strategy}</span>
          <span>namespace {run.namespace}</span>
          <span>
            <code>{run.runId}</code>
          </span>
          <span>started {ago(run.startedAt, now)}</span>
          <span>updated {ago(run.updatedAt, now)}</span>
          {!finished && run.status !== 'paused' && <span class="live-dot">live</span>}
        </div>
        {run.reason && (
          <p class="run-reason" data-testid="run-reason">
            {run.reason}
          </p>
        )}
        {run.current && (
          <p class="run-current">
            {run.current.doing === 'undoing' ? 'Undoing' : run.current.doing === 'paused' ? 'Waiting for a human at' : 'Now'}:{' '}
            <strong>{run.current.title}</strong>
          </p>
        )}
        {run.pointOfNoReturn && (
          <p class={`ponr-line ${run.pointOfNoReturn.passed ? 'passed' : ''}`}>
            {run.pointOfNoReturn.passed
              ? `Past the point of no return (${run.pointOfNoReturn.title}): nothing is rolled back any more.`
              : `Point of no return ahead: ${run.pointOfNoReturn.title}. Until it completes, a failure rolls everything back.`}
          </p>
        )}
        {run.activity && (
          <p class={`activity ${run.activity.state}`} data-testid="activity">
            {run.activity.message}
          </p>
        )}
        <div class="actions">
          {run.actions.map((a) => (
            <button
              type="button"
              key={a.kind}
              class={`btn ${a.kind === 'promote' ? 'primary' : a.kind === 'abort' ? 'danger' : ''}`}
              data-action={a.kind}
              disabled={!a.allowed}
              title={a.consequence}
              onClick={() => ask(a, `run ${run.runId}`, `api/runs/${encodeURIComponent(run.runId)}/${a.kind}`)}
            >
              {labels[a.kind]}
            </button>
          ))}
        </div>
      </header>

      <div class="run-grid">
        <div class="card">
          <h2>Plan</h2>
          <StepList steps={run.steps} current={run.current?.stepId} />
        </div>
        <div class="side">
          <TrafficPanel
            traffic={run.traffic}
            stableVersion={run.status === 'succeeded' ? run.toVersion : run.fromVersion}
            newVersion={run.toVersion}
            versions={versions}
            live={run.liveProbe}
            liveBy={run.liveProbeBy}
          />
          <div class="card">
            <h2>Gates</h2>
            {run.gates.length === 0 ? (
              <p class="muted">This plan has no gates.</p>
            ) : (
              <table class="gates" data-testid="gates">
                <tbody>
                  {run.gates.map((g) => (
                    <tr key={g.stepId} data-verdict={g.verdict}>
                      <td>
                        <span
                          class={`pill small ${g.verdict === 'pass' ? 'good' : g.verdict === 'fail' ? 'bad' : g.verdict === 'evaluating' ? 'live' : 'wait'}`}
                        >
                          {g.verdict}
                        </span>
                      </td>
                      <td>
                        {g.title}
                        <div class="muted small">{g.detail}</div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div class="card">
            <h2>Result so far</h2>
            <table class="figures" data-testid="figures">
              <tbody>
                {summary.map((s) => (
                  <tr key={s.metric} data-metric={s.metric}>
                    <td>{s.label}</td>
                    <td class={s.measured ? '' : 'muted'}>{s.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.probe && (
              <p class="muted small">
                p50 {r.probe.requests.p50Ms ?? '—'} ms · p99 {r.probe.requests.p99Ms ?? '—'} ms
                {r.probe.streams
                  ? ` · streams: ${r.probe.streams.started} started, ${r.probe.streams.openAtStop} open at the end (target ${r.probe.streams.target})`
                  : ''}
                {r.probe.writes ? ` · writes: ${r.probe.writes.verified} verified, ${r.probe.writes.lost} lost` : ''}
              </p>
            )}
          </div>
        </div>
      </div>

      <div class="card">
        <h2>Probe</h2>
        {r.probe ? (
          <ProbeCharts probe={r.probe} versions={versions} />
        ) : (
          <p class="muted">Traffic not measured for this run yet: the probe's record is written when the run stops or pauses.</p>
        )}
      </div>
      <div class="card">
        <h2>Timeline</h2>
        <div class="timeline-box" data-testid="timeline" dangerouslySetInnerHTML={{ __html: timeline }} />
      </div>
      <div class="two">
        <div class="card">
          <h2>Drift</h2>
          {r.drift.length === 0 ? (
            <p class="muted">The cluster matched the manifests.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>resource</th>
                  <th>field</th>
                  <th>manifest</th>
                  <th>cluster</th>
                </tr>
              </thead>
              <tbody>
                {r.drift.map((d) => (
                  <tr key={`${d.resource}${d.field}`}>
                    <td>{d.resource}</td>
                    <td>
                      <code>{d.field}</code>
                    </td>
                    <td>{d.manifest}</td>
                    <td>{d.cluster}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="card">
          <h2>Backups</h2>
          {r.backups.length === 0 ? (
            <p class="muted">No backup in this run.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>method</th>
                  <th>size</th>
                  <th>verified</th>
                  <th>detail</th>
                </tr>
              </thead>
              <tbody>
                {r.backups.map((b, i) => (
                  <tr key={i}>
                    <td>{b.method}</td>
                    <td>{formatBytes(b.compressedBytes ?? b.sizeBytes)}</td>
                    <td>{b.verified ? '✓ restore checked' : '✗ not verified'}</td>
                    <td>{b.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      {dialog}
    </section>
  );
}
