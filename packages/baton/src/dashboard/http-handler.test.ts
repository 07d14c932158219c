import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun } from '../engine/engine.js';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { createRecordingKind, testStep } from '../engine/testing/recording-step-kind.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { LocalBackend } from './local-backend.js';

// A cluster nobody listens on: the handler's checks never need one, and release history fails cleanly.
const noCluster = `apiVersion: v1
kind: Config
clusters: [{ name: none, cluster: { server: "http://127.0.0.1:9" } }]
users: [{ name: none, user: { token: x } }]
contexts: [{ name: none, context: { cluster: none, user: none } }]
current-context: none
`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(server: DashboardServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (text += c))
        .on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dashboard HTTP handler: token, CSRF, bad input', () => {
  let dir: string;
  let server: DashboardServer;
  let backend: LocalBackend;
  let journal: FileJournal;
  const rec = createRecordingKind();
  const lock = new MemoryLock();
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` });
  const json = (): Record<string, string> => ({ ...auth(), 'content-type': 'application/json' });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-dashboard-'));
    await writeFile(join(dir, 'app.js'), 'console.log("page")');
    await writeFile(join(dir, 'app.css'), 'body{}');
    journal = new FileJournal({ dir: join(dir, 'state') });
    const engine = { journal, lock, registry: { test: rec.kind } };
    rec.script.wait = { run: 'paused' };
    const secretStep = {
      ...testStep('apply'),
      params: {
        objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { url: 'postgres://app:hunter2@db/app' } }],
        dsn: 'postgres://app:hunter2@db/app',
      },
    };
    await startRun({
      ...engine,
      runId: 'paused-run',
      app: 'web',
      namespace: 'prod',
      steps: [secretStep, testStep('wait'), testStep('after')],
    });
    await startRun({ ...engine, runId: 'done-run', app: 'api', namespace: 'prod', steps: [testStep('only')] });
    backend = new LocalBackend({
      journal,
      kube: new ClientNodeKubeClient({ kubeconfigText: noCluster }),
      lock,
      registry: { test: rec.kind },
      stateDir: join(dir, 'state'),
      watchCluster: false,
    });
    server = await startDashboardServer({ backend, assetsDir: dir });
  });
  after(async () => {
    await server?.close();
    await backend?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('binds loopback on a free port and prints the token only in the URL fragment', () => {
    const url = new URL(server.pageUrl);
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(Number(url.port) > 0);
    assert.equal(url.hash, `#token=${server.token}`);
    assert.match(server.token, /^[0-9a-f]{64}$/);
  });

  test('the page and its bundle carry no data and no token; they are served with a strict CSP', async () => {
    const page = await call(server, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.ok(!page.body.includes(server.token));
    assert.equal((await call(server, 'GET', '/assets/app.js')).body, 'console.log("page")');
  });

  test('the API refuses a missing or wrong token, a foreign Host and a foreign Origin', async () => {
    const missing = await call(server, 'GET', '/api/apps');
    assert.equal(missing.status, 401);
    assert.equal(JSON.parse(missing.body).error.code, 'TOKEN_MISSING');
    const wrong = await call(server, 'GET', '/api/apps', { authorization: 'Bearer 00' });
    assert.equal(JSON.parse(wrong.body).error.code, 'TOKEN_WRONG');
    // DNS rebinding: evil.example resolves to 127.0.0.1, but the browser sends its own Host.
    const host = await call(server, 'GET', '/api/apps', { ...auth(), host: `evil.example:${new URL(server.url).port}` });
    assert.equal(host.status, 421);
    const origin = await call(server, 'POST', '/api/runs/paused-run/promote', { ...json(), origin: 'https://evil.example' }, '{}');
    assert.equal(origin.status, 403);
    const ok = await call(server, 'GET', '/api/apps', auth());
    assert.equal(ok.status, 200);
    assert.deepEqual(
      JSON.parse(ok.body)
        .apps.map((a: { app: string }) => a.app)
        .sort(),
      ['api', 'web'],
    );
  });

  test('a state-changing call must be JSON, even with the token (a cross-site form cannot be)', async () => {
    const before = (await journal.read('paused-run')).length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await call(server, 'POST', '/api/runs/paused-run/promote', { ...auth(), 'content-type': type }, '{}');
      assert.equal(r.status, 415, type);
    }
    const bad = await call(server, 'POST', '/api/runs/paused-run/abort', json(), '{not json');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'BAD_JSON');
    assert.equal((await journal.read('paused-run')).length, before, 'nothing was written');
  });

  test('an unknown run id, and one that cannot name a journal, are 404 with a clear message', async () => {
    for (const id of ['no-such-run', '..%2F..%2Fetc%2Fpasswd']) {
      const r = await call(server, 'GET', `/api/runs/${id}`, auth());
      assert.equal(r.status, 404, id);
      const error = JSON.parse(r.body).error;
      assert.equal(error.code, 'RUN_NOT_FOUND');
      assert.match(error.message, /there is no run/);
      const act = await call(server, 'POST', `/api/runs/${id}/promote`, json(), '{}');
      assert.equal(act.status, 404);
    }
  });

  test('promoting a finished run is refused (409) and writes nothing', async () => {
    const before = (await journal.read('done-run')).length;
    const r = await call(server, 'POST', '/api/runs/done-run/promote', json(), '{}');
    assert.equal(r.status, 409);
    const error = JSON.parse(r.body).error;
    assert.equal(error.code, 'RUN_FINISHED');
    assert.match(error.message, /cannot promote run done-run: the run already ended succeeded/);
    assert.equal((await journal.read('done-run')).length, before);
  });

  test('no Secret value or URL password reaches the page', async () => {
    const r = await call(server, 'GET', '/api/runs/paused-run', auth());
    assert.equal(r.status, 200);
    assert.ok(!r.body.includes('hunter2'), 'the password is hidden');
    const run = JSON.parse(r.body).run;
    assert.equal(run.status, 'paused');
    assert.equal(run.actions.find((a: { kind: string }) => a.kind === 'promote').allowed, true);
  });

  test('the event stream pushes the run, and Promote (202) drives it to its end', async () => {
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(new URL('/api/events?run=paused-run', server.url), { headers: auth() }, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        let buffer = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          for (const m of buffer.matchAll(/event: run\ndata: (.*)\n\n/g)) events.push(JSON.parse(m[1]!).status as string);
          buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
          if (events.includes('succeeded')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => {
        if (!events.includes('succeeded')) reject(e);
      });
      req.end();
    });
    await new Promise((r) => setTimeout(r, 300)); // the stream's first push
    const r = await call(server, 'POST', '/api/runs/paused-run/promote', json(), '{}');
    assert.equal(r.status, 202, r.body);
    await done;
    assert.equal(events[0], 'paused');
    assert.equal(events.at(-1), 'succeeded');
    const stale = await call(server, 'POST', '/api/runs/paused-run/promote', json(), '{}');
    assert.equal(stale.status, 409, 'a second press from a stale page is refused');
  });
});
