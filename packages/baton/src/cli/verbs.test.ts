// baton history, rollback --to-revision, pause and retry as a user types them (in-process, on
// kubesim's API): exit codes, messages, and -o json held to the documented schemas.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '@baton/kubesim';
import { startRun } from '../engine/engine.js';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { createRecordingKind, testStep } from '../engine/testing/recording-step-kind.js';
import { ClientNodeKubeClient } from '../kube/client-node-kube-client.js';
import { writeHistory } from '../kube/release-history.js';
import { demoManifests, writeSpec } from '../testing/demo-cluster.js';
import { runCli } from './main.js';
import { assertOutputKind } from './testing/output-schemas.js';

describe('daily verbs on the command line (kubesim API)', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let dir: string;
  let kubeconfig: string;
  let stateDir: string;

  const cli = async (args: string[], cwd = dir) => {
    let out = '';
    let err = '';
    const code = await runCli([...args, '--kubeconfig', kubeconfig, '--state-dir', stateDir], {
      cwd,
      env: {},
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      signal: new AbortController().signal,
    });
    return { code, out, err, json: () => JSON.parse(out) as Record<string, unknown> };
  };

  before(async () => {
    cluster = await startCluster({ images: {} });
    dir = await mkdtemp(join(tmpdir(), 'baton-verbs-'));
    kubeconfig = join(dir, 'kubeconfig');
    stateDir = join(dir, 'state');
    await writeFile(kubeconfig, cluster.kubeconfig);
    const entry = (version: string, runId: string, o: Record<string, string> = {}) => ({
      version,
      image: `demo/app:${version}`,
      runId,
      strategy: 'rolling',
      at: '2026-12-02T10:00:00.000Z',
      deployment: 'demo',
      ...o,
    });
    // Written before revisions were stored: read as 1, 2, 3.
    await writeHistory(new ClientNodeKubeClient({ kubeconfigText: cluster.kubeconfig }), 'default', 'demo', [
      entry('v1', 'up-1:adopted'),
      entry('v2', 'up-1'),
      entry('v1', 'back-1', { rollbackOf: 'v2' }),
    ]);
  });
  after(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('baton history: revisions oldest first, v1 twice as two revisions; -o json is a RevisionHistory', async () => {
    const text = await cli(['history', 'demo', '-n', 'default']);
    assert.equal(text.code, 0, text.err);
    const lines = text.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^REVISION\s+UPDATED\s+STATUS\s+VERSION\s+IMAGE\s+RUN\s+DESCRIPTION$/);
    assert.match(lines[1]!, /^1\s+\S+\s+superseded\s+v1\s+demo\/app:v1\s+up-1\s+running before baton's first upgrade/);
    assert.match(lines[3]!, /^3\s+\S+\s+deployed\s+v1\s+demo\/app:v1\s+back-1\s+rollback from v2$/);

    const json = await cli(['history', 'demo', '-n', 'default', '-o', 'json']);
    assertOutputKind(json.json(), 'RevisionHistory');
    assert.deepEqual(
      (json.json().revisions as { revision: number }[]).map((r) => r.revision),
      [1, 2, 3],
    );

    const none = await cli(['history']);
    assert.equal(none.code, 2, 'no app named and no baton.yaml');
    assert.match(none.err, /baton history needs an app/);
  });

  test('baton rollback --to-revision: unknown names the revisions; the current one is nothing to do; changes nothing', async () => {
    const spec = await writeSpec(dir, 'app', demoManifests({ image: 'demo/app:v1' }), { image: { ref: 'demo/app:v2' } });
    const unknown = await cli(['rollback', '-f', spec, '--to-revision', '7', '-o', 'json']);
    assert.equal(unknown.code, 2);
    assertOutputKind(unknown.json(), 'Error');
    assert.deepEqual(unknown.json().error, {
      code: 'REVISION_UNKNOWN',
      message: 'demo has no revision 7: its revisions are 1–3',
      hint: 'see them with: baton history',
    });

    for (const revision of ['3', '1']) {
      const current = await cli(['rollback', '-f', spec, '--to-revision', revision, '-o', 'json']);
      assert.equal(current.code, 0, current.out);
      assertOutputKind(current.json(), 'RollbackNotNeeded');
      assert.equal(current.json().currentRevision, 3);
    }
    const text = await cli(['rollback', '-f', spec, '--to-revision', '1']);
    assert.equal(text.out, 'revision 1 is v1 (demo/app:v1), which is what runs now (revision 3): nothing to do\n');

    const bad = await cli(['rollback', '-f', spec, '--to-revision', 'two']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--to-revision takes a revision number/);
    assert.equal((await cli(['rollback', '-f', spec, '--to-revision', '2', '--to', 'v2'])).code, 2, '--to and --to-revision together');
  });

  test('baton pause and retry of local runs: already paused is said, not retried; -o json documented', async () => {
    const rec = createRecordingKind();
    const engine = {
      journal: new FileJournal({ dir: stateDir }),
      lock: new MemoryLock(),
      registry: { test: rec.kind },
      app: 'demo',
      namespace: 'default',
    };
    rec.script.b = { run: 'paused' };
    await startRun({ ...engine, runId: 'waiting', steps: ['a', 'b'].map((id) => testStep(id)) });
    rec.script.b = {};
    await startRun({ ...engine, runId: 'done', steps: [testStep('a')] });
    await startRun({ ...engine, runId: 'crashed', steps: ['a', 'b'].map((id) => testStep(id)), maxSteps: 1 });

    const paused = await cli(['pause', 'waiting', '-o', 'json']);
    assert.equal(paused.code, 0, paused.err);
    assertOutputKind(paused.json(), 'PauseRequest');
    assert.equal(paused.json().state, 'already-paused');
    assert.match((await cli(['pause', 'waiting'])).out, /run waiting is already paused — step b needs a human/);

    // Nothing holds the app's Lease: the run is not live, so there is nothing to pause.
    const crashed = await cli(['pause', 'crashed', '-o', 'json']);
    assert.equal(crashed.code, 2);
    assert.equal((crashed.json().error as { code: string }).code, 'NOT_RUNNING');

    const notHalted = await cli(['retry', 'waiting']);
    assert.equal(notHalted.code, 2);
    assert.match(notHalted.err, /paused at step b waiting for a human, and nothing failed[\s\S]*baton promote waiting/);
    const finished = await cli(['retry', 'done', '-o', 'json']);
    assert.equal(finished.code, 2);
    assertOutputKind(finished.json(), 'Error');
    assert.equal((finished.json().error as { code: string }).code, 'RUN_FINISHED');
  });
});
