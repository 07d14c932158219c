import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import type { Journal, JournalEntry } from '../engine/journal.js';
import { MemoryJournal } from '../engine/memory-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import { loadRelease } from '../spec/load-release.js';
import { startProbe, type ProbeOptions } from '../probe/probe.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import {
  abort,
  history,
  pause,
  promote,
  readRecordedRun,
  releases,
  report,
  resume,
  rollback,
  rollbackTargetOf,
  status,
  upgrade,
  type OperationPorts,
} from './index.js';

/** Appends normally until `crashAt` matches; that entry becomes durable, then the "process dies". */
class CrashingJournal implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly crashAt: (e: JournalEntry) => boolean,
  ) {}
  async append(entry: JournalEntry): Promise<void> {
    await this.inner.append(entry);
    if (this.crashAt(entry)) throw new Error('simulated crash');
  }
  read(runId: string): Promise<JournalEntry[]> {
    return this.inner.read(runId);
  }
  listRuns(filter?: { app?: string }) {
    return this.inner.listRuns(filter);
  }
}

/** Holds the first `step-finished` until `release()`: a step stays in flight as long as a test needs. */
class HoldingJournal implements Journal {
  private held: Promise<void> | undefined;
  constructor(
    private readonly inner: Journal,
    private readonly onFirstStep: () => Promise<void>,
  ) {}
  async append(entry: JournalEntry): Promise<void> {
    if (entry.type === 'step-finished') await this.held;
    await this.inner.append(entry);
    if (entry.type === 'step-started' && this.held === undefined) this.held = this.onFirstStep();
  }
  read(runId: string): Promise<JournalEntry[]> {
    return this.inner.read(runId);
  }
  listRuns(filter?: { app?: string }) {
    return this.inner.listRuns(filter);
  }
}

/**
 * Every verb driven through operations/ alone, no CLI: upgrade to a pause, status, promote, abort,
 * rollback and resume after a crash, each one after the run's spec folder was deleted: the journal
 * (in memory here) carries everything a later verb needs.
 */
describe('operations from the journal alone (kubesim, in-memory journal)', { timeout: 300_000 }, () => {
  let t: TestCluster;
  const journal = new MemoryJournal();
  const probeStarts: ProbeOptions[] = [];
  const ports = (j: Journal = journal): OperationPorts => ({
    kube: t.kube,
    journal: j,
    lock: new MemoryLock(),
    env: {},
    // demo-app has no database here: the write checks are asked for (asserted) but not sent.
    probes: (options) => {
      probeStarts.push(options);
      const { writes: _writes, ...rest } = options;
      return startProbe(rest);
    },
  });
  const image = async () =>
    (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))?.spec.template
      .spec.containers[0]?.image;
  /** Loads the spec as the CLI would, then deletes its folder: later verbs cannot read it. */
  const inputsThenDelete = async (name: string, img: string, strategy: Record<string, unknown>) => {
    const path = await writeSpec(t.dir, name, demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: img },
      strategy,
      traffic: { router: 'replica-ratio' },
      probe: { rps: 50, writes: { path: '/users', rps: 2 }, analysis: undefined },
    });
    const { inputs } = await loadRelease(path);
    return { inputs, forget: () => rm(dirname(path), { recursive: true, force: true }) };
  };
  const pausedCanary = {
    kind: 'canary',
    canary: {
      steps: [{ setWeight: 50 }, { pause: {} }, { analysis: { seconds: 1, maxErrorRate: 0, minRequests: 1 } }],
      progressDeadlineSeconds: 60,
    },
  };

  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
  });
  after(async () => {
    await t?.stop();
  });

  test('a probe target this machine cannot reach is refused before any change, with the fixes', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const path = await writeSpec(t.dir, 'unreachable', demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      probe: { url: `http://127.0.0.1:${closed}`, rps: 10 },
    });
    const { inputs } = await loadRelease(path);
    const runs = (await journal.listRuns()).length;
    await assert.rejects(upgrade(inputs, ports(), { warmupMs: 0, tailMs: 0 }), (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'PROBE_UNREACHABLE');
      assert.match(
        error.message,
        /nothing accepts connections at the probe's target http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*nothing was changed/,
      );
      assert.match(error.hint ?? '', /fix probe\.url .*--no-probe/);
      return true;
    });
    assert.equal(await image(), 'demo/app:v1', 'nothing was changed');
    assert.equal((await journal.listRuns()).length, runs, 'no run was started');
  });

  let promotedRun = '';
  test('upgrade pauses; status and promote work with the spec folder gone; promote probes with the recorded spec', async () => {
    const { inputs, forget } = await inputsThenDelete('v2', 'demo/app:v2', pausedCanary);
    const paused = await upgrade(inputs, ports(), { warmupMs: 200, tailMs: 200 });
    await forget();
    assert.equal(paused.outcome.status, 'paused', paused.outcome.reason);
    assert.deepEqual(paused.next, [
      `baton promote ${paused.outcome.runId}`,
      `baton abort ${paused.outcome.runId}`,
      `baton resume ${paused.outcome.runId}`,
    ]);
    assert.ok(paused.budget, 'the probe ran, so the budget was judged');

    const recorded = await readRecordedRun(journal, paused.outcome.runId);
    assert.equal(recorded.inputs?.spec.image.ref, 'demo/app:v2', 'the journal carries the resolved spec');
    assert.deepEqual(recorded.inputs?.manifests.map((m) => m.kind).sort(), ['ConfigMap', 'Deployment', 'Service']);

    const view = await status({ runId: paused.outcome.runId }, { journal, kube: t.kube });
    assert.equal(view.state.status, 'paused');
    assert.equal(view.traffic && 'weight' in view.traffic ? view.traffic.weight : undefined, 50);

    const done = await promote({ runId: paused.outcome.runId }, ports());
    assert.equal(done.outcome.status, 'succeeded', done.outcome.reason);
    assert.equal(await image(), 'demo/app:v2');
    assert.equal(probeStarts.length, 2, 'one probe for the upgrade, one for the analysis after the pause');
    assert.deepEqual(
      probeStarts.map((o) => o.writes),
      [
        { path: '/users', rps: 2 },
        { path: '/users', rps: 2 },
      ],
      'promote starts the probe as the upgrade did, writes included',
    );
    promotedRun = paused.outcome.runId;
  });

  test('abort of a paused run rolls back from the journal alone', async () => {
    const { inputs, forget } = await inputsThenDelete('v3', 'demo/app:v3', pausedCanary);
    const paused = await upgrade(inputs, ports(), { probe: false });
    await forget();
    assert.equal(paused.outcome.status, 'paused', paused.outcome.reason);
    const aborted = await abort({ runId: paused.outcome.runId, reason: 'test: not today' }, ports());
    assert.equal(aborted.kind, 'aborted');
    assert.equal(aborted.kind === 'aborted' ? aborted.outcome.status : undefined, 'rolled-back');
    assert.equal(await image(), 'demo/app:v2');
  });

  test('rollback with the spec a run recorded', async () => {
    const recorded = await readRecordedRun(journal, promotedRun);
    assert.ok(recorded.inputs);
    const back = await rollback({ spec: recorded.inputs.spec, manifests: recorded.inputs.manifests }, ports(), { probe: false });
    assert.equal(back.outcome.status, 'succeeded', back.outcome.reason);
    assert.equal(await image(), 'demo/app:v1');
    const history = await releases({ app: 'demo', namespace: 'default' }, { kube: t.kube, journal });
    assert.equal(history.releases.at(-1)?.rollbackOf, 'v2');
  });

  test('resume after a crash mid-run reaches the end from the journal alone; report rebuilds the record', async () => {
    const { inputs, forget } = await inputsThenDelete('v3-rolling', 'demo/app:v3', { kind: 'rolling' });
    const crashing = new CrashingJournal(journal, (e) => e.type === 'step-started' && e.stepId === 'rollout:demo');
    await assert.rejects(upgrade(inputs, ports(crashing), { probe: false }), /simulated crash/);
    await forget();
    const runs = await journal.listRuns({ app: 'demo' });
    const crashed = runs.sort((a, b) => b.startedAt - a.startedAt)[0]!;
    assert.equal(crashed.status, 'running', 'the crash left the run unfinished');
    const resumed = await resume({ runId: crashed.runId }, ports());
    assert.equal(resumed.outcome.status, 'succeeded', resumed.outcome.reason);
    assert.equal(await image(), 'demo/app:v3');
    const r = await report({ runId: crashed.runId }, { journal });
    assert.equal(r.source, 'journal');
    assert.equal(r.record.toVersion, 'v3');
    assert.ok(r.record.steps.some((s) => s.id === 'rollout:demo' && s.status === 'done'));
    assert.equal(r.summary.rows.find((row) => row.metric === 'downtime')?.measured, false, 'no probe ran: not measured, never 0');
  });

  test('pause of a live upgrade (another caller, same journal and lock) stops it after its step in flight; promote finishes it', async () => {
    const { inputs, forget } = await inputsThenDelete('v2-again', 'demo/app:v2', { kind: 'rolling' });
    const lock = new MemoryLock();
    let requested: Awaited<ReturnType<typeof pause>> | undefined;
    // The pause is asked for while the first step runs; that step's end is journaled only after.
    const holding = new HoldingJournal(journal, async () => {
      const [live] = (await journal.listRuns({ app: 'demo' })).filter((r) => r.status === 'running');
      requested = await pause({ runId: live!.runId, reason: 'test: hold on' }, { journal, lock, holder: 'second terminal' });
    });
    const paused = await upgrade(inputs, { ...ports(holding), lock }, { probe: false });
    await forget();
    assert.equal(requested?.kind, 'requested');
    assert.equal(paused.outcome.status, 'paused', paused.outcome.reason);
    const state = (await readRecordedRun(journal, paused.outcome.runId)).state;
    assert.equal(state.completedOrder.length, 1, `only the step in flight finished: ${state.completedOrder.join(', ')}`);
    assert.match(
      paused.outcome.reason ?? '',
      new RegExp(`paused before step ${state.steps[1]!.id} at the request of second terminal: test: hold on`),
    );
    assert.equal(await image(), 'demo/app:v3', 'the rollout did not start');

    const done = await promote({ runId: paused.outcome.runId }, { ...ports(), lock });
    assert.equal(done.outcome.status, 'succeeded', done.outcome.reason);
    assert.equal(await image(), 'demo/app:v2');
  });

  test('history numbers every release (a version recorded twice is two revisions); rollback to a revision puts its image back', async () => {
    const before = await history({ app: 'demo', namespace: 'default' }, { kube: t.kube, journal });
    assert.deepEqual(
      before.revisions.map((r) => [r.revision, r.version, r.status]),
      [
        [1, 'v1', 'superseded'],
        [2, 'v2', 'superseded'],
        [3, 'v1', 'superseded'],
        [4, 'v3', 'superseded'],
        [5, 'v2', 'deployed'],
      ],
    );
    assert.match(before.revisions[0]!.description, /running before baton's first upgrade/);
    assert.equal(before.revisions[2]!.description, 'rollback from v2 to revision 1');
    assert.equal(before.revisions[4]!.runStatus, 'succeeded');

    const at = (revision: number) => rollbackTargetOf({ app: 'demo', namespace: 'default', revision }, { kube: t.kube });
    assert.equal((await at(5)).kind, 'current');
    assert.equal((await at(2)).kind, 'current', 'revision 2 runs the image that runs now: nothing to do');
    await assert.rejects(at(9), /demo has no revision 9: its revisions are 1–5/);

    const recorded = await readRecordedRun(journal, promotedRun);
    assert.ok(recorded.inputs);
    const back = await rollback({ spec: recorded.inputs.spec, manifests: recorded.inputs.manifests, toRevision: 4 }, ports(), {
      probe: false,
    });
    assert.equal(back.outcome.status, 'succeeded', back.outcome.reason);
    assert.equal(await image(), 'demo/app:v3');
    const after = await history({ app: 'demo', namespace: 'default' }, { kube: t.kube, journal });
    assert.deepEqual(
      after.revisions.map((r) => r.revision),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      [after.revisions[5]!.version, after.revisions[5]!.description, after.revisions[5]!.status],
      ['v3', 'rollback from v2 to revision 4', 'deployed'],
    );
  });
});
