import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { takeToken } from './api.js';
import { AppsPage } from './apps-page.js';
import { RunPage } from './run-page.js';

type Route = { page: 'apps' } | { page: 'run'; runId: string };

function routeOf(hash: string): Route {
  const m = /^#\/runs\/([^/?#]+)/.exec(hash);
  return m?.[1] ? { page: 'run', runId: decodeURIComponent(m[1]) } : { page: 'apps' };
}

function App({ token }: { token: string | null }) {
  const [route, setRoute] = useState<Route>(routeOf(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(routeOf(location.hash));
    addEventListener('hashchange', on);
    // Effects run after the first paint: a hash that changed in between fired its hashchange
    // before anyone listened, so read it once now.
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="logo" aria-hidden="true" /> baton
        </a>
        <nav class="crumbs">
          <a href="#/">apps</a>
          {route.page === 'run' && (
            <>
              <span class="sep">/</span>
              <span class="crumb-run">{route.runId}</span>
            </>
          )}
        </nav>
        <span class="spacer" />
        <span class={`token-state ${token ? 'ok' : 'missing'}`}>{token ? 'token set' : 'no token'}</span>
      </header>
      {!token && (
        <div class="banner bad" role="alert">
          This page has no token: open the URL that <code>baton dashboard</code> printed (it ends in <code>#token=…</code>), or, for the
          controller's dashboard, add <code>#token=</code> and the token from its Secret (see docs/dashboard.md).
        </div>
      )}
      <main>{route.page === 'apps' ? <AppsPage token={token} /> : <RunPage key={route.runId} token={token} runId={route.runId} />}</main>
    </div>
  );
}

const token = takeToken();
const root = document.getElementById('app');
if (root) render(<App token={token} />, root);
