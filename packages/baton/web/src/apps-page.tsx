import { useEffect, useState } from 'preact/hooks';
import type { AppView } from '../../src/dashboard/dashboard-backend.js';
import { follow, type ApiError } from './api.js';
import { ago, statusTone } from './format.js';
import { useAction } from './use-action.js';

export function AppsPage({ token }: { token: string | null }) {
  const [apps, setApps] = useState<AppView[] | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [now, setNow] = useState(Date.now());
  const { ask, dialog, messages } = useAction(token);
  useEffect(() => {
    const stop = new AbortController();
    void follow(token, undefined, { apps: setApps, run: () => undefined, missing: () => undefined, error: setProblem }, stop.signal);
    const tick = setInterval(() => setNow(Date.now()), 5000); // only relative times move
    return () => {
      stop.abort();
      clearInterval(tick);
    };
  }, [token]);

  return (
    <section class="apps">
      <h1>Apps</h1>
      {problem && (
        <div class="banner bad" role="alert">
          {problem.message}
        </div>
      )}
      {messages}
      {apps === null && !problem && <p class="muted">Loading…</p>}
      {apps?.length === 0 && (
        <p class="muted">
          No runs in this journal yet. Start one with <code>baton upgrade</code>.
        </p>
      )}
      <div class="app-grid">
        {apps?.map((a) => (
          <article class="card app" key={`${a.namespace}/${a.app}`} data-app={a.app}>
            <header class="card-head">
              <div>
                <h2>{a.app}</h2>
                <span class="muted">namespace {a.namespace}</span>
              </div>
              <span class="spacer" />
              <button
                type="button"
                class="btn"
                disabled={!a.rollback.allowed}
                title={a.rollback.allowed ? '' : a.rollback.consequence}
                onClick={() => ask(a.rollback, a.app, `api/apps/${encodeURIComponent(a.namespace)}/${encodeURIComponent(a.app)}/rollback`)}
              >
                Rollback…
              </button>
            </header>
            <h3>Releases</h3>
            {a.releasesError ? (
              <p class="banner warn">release history unavailable: {a.releasesError}</p>
            ) : a.releases.length === 0 ? (
              <p class="muted">none recorded yet</p>
            ) : (
              <table class="releases">
                <thead>
                  <tr>
                    <th>version</th>
                    <th>image</th>
                    <th>strategy</th>
                    <th>when</th>
                    <th>run</th>
                  </tr>
                </thead>
                <tbody>
                  {a.releases.map((r, i) => (
                    <tr key={`${r.runId}-${i}`} class={i === 0 ? 'current' : ''}>
                      <td>
                        <strong>{r.version}</strong>
                        {i === 0 && <span class="pill good small">live</span>}
                        {r.rollbackOf && <span class="pill warn small">rollback</span>}
                      </td>
                      <td>
                        <code>{r.image}</code>
                      </td>
                      <td>{r.strategy}</td>
                      <td class="when">{ago(Date.parse(r.at), now)}</td>
                      <td>
                        <a href={`#/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {a.unstarted && a.unstarted.length > 0 && (
              <>
                <h3>Releases not started</h3>
                <ul class="runs" data-testid="unstarted">
                  {a.unstarted.map((r) => (
                    <li key={r.name}>
                      <span class={`pill ${r.phase === 'Invalid' ? 'bad' : 'warn'}`}>{r.phase}</span>
                      <code>{r.name}</code>
                      {r.message && <span class="reason">{r.message}</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <h3>Runs</h3>
            <ul class="runs">
              {a.runs.map((r) => (
                <li key={r.runId}>
                  <span class={`pill ${statusTone(r.status)}`}>{r.status}</span>
                  <a class="run-link" href={`#/runs/${encodeURIComponent(r.runId)}`}>
                    {r.runId}
                  </a>
                  <span class="muted">{ago(r.startedAt, now)}</span>
                  {r.reason && <span class="reason">{r.reason}</span>}
                </li>
              ))}
            </ul>
          </article>
        ))}
      </div>
      {dialog}
    </section>
  );
}
