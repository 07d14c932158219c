import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArtifactStore } from '../report/file-artifact-store.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { RunRecord } from '../report/run-record.js';
import { parseWellFormed } from '../report/well-formed.js';
import { startProbe } from './probe.js';
import { ProbeCheckpoint } from './probe-checkpoint.js';
import type { ProbeRecord } from './probe-record.js';
import { joinProbeRecords } from './probe-segments.js';
import { startTestServer } from './test-servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A real probe against a server answering `version`, for `ms`; every request ok. */
async function segment(version: string, ms: number): Promise<ProbeRecord> {
  const server = await startTestServer((_req, res) => res.writeHead(200, { 'x-app-version': version }).end('ok'));
  try {
    const probe = await startProbe({ url: server.url, rps: 100, bucketMs: 100 });
    probe.mark(`step-${version}`);
    await sleep(ms);
    return await probe.stop();
  } finally {
    await server.close();
  }
}

describe('probe segments (a run killed, then resumed)', () => {
  it('joins segments: counts added, the span between them a gap, buckets on one axis, no downtime there', async () => {
    const a = await segment('v1', 300);
    await sleep(400); // no probe runs: baton is "dead"
    const b = await segment('v2', 300);
    const joined = joinProbeRecords([b, a]);
    assert.ok(joined);
    assert.equal(joined.startedAt, a.startedAt);
    assert.equal(joined.stoppedAt, b.stoppedAt);
    assert.equal(joined.requests.total, a.requests.total + b.requests.total);
    assert.equal(joined.requests.failed, 0);
    assert.deepEqual(joined.requests.byVersion, { v1: a.requests.byVersion.v1, v2: b.requests.byVersion.v2 });
    assert.deepEqual(joined.gaps, [{ start: a.stoppedAt, end: b.startedAt, reason: 'not-measured' }]);
    // The gap is neither downtime nor failure.
    assert.equal(joined.downtime.count, a.downtime.count + b.downtime.count);
    assert.equal(joined.segments?.length, 2);
    assert.deepEqual(
      joined.marks.map((m) => m.label),
      ['step-v1', 'step-v2'],
    );
    // Buckets stay on the first segment's grid, in order, none inside the gap.
    const ts = joined.buckets.map((x) => x.t);
    assert.deepEqual(
      ts,
      [...ts].sort((x, y) => x - y),
    );
    assert.ok(ts.every((t) => t % 100 === 0));
    assert.ok(!ts.some((t) => t > a.stoppedAt - a.startedAt + 100 && t + 100 < b.startedAt - a.startedAt));
    assert.equal(
      joined.buckets.reduce((n, x) => n + x.requests, 0),
      joined.requests.total,
    );
  });

  it('a single segment is returned as it is; none is undefined', async () => {
    const a = await segment('v1', 100);
    assert.equal(joinProbeRecords([a]), a);
    assert.equal(joinProbeRecords([]), undefined);
  });

  it('the report shows the gap as not measured, in markdown and in well-formed html', async () => {
    const a = await segment('v1', 200);
    await sleep(300);
    const b = await segment('v2', 200);
    const probe = joinProbeRecords([a, b]);
    const record: RunRecord = {
      runId: 'r1',
      app: 'web',
      namespace: 'default',
      strategy: 'rolling',
      fromVersion: 'v1',
      toVersion: 'v2',
      status: 'succeeded',
      startedAt: a.startedAt,
      finishedAt: b.stoppedAt,
      steps: [],
      ...(probe ? { probe } : {}),
      backups: [],
      migrations: [],
      drift: [],
    };
    assert.match(renderMarkdown(record), /Not measured: 1 gap .*no baton process was running/);
    const html = renderHtml(record);
    parseWellFormed(html);
    assert.match(html, /class="gap"/);
    assert.match(html, /not measured/);
    const interrupted = renderMarkdown({ ...record, status: 'running', interrupted: { reason: 'killed', next: 'baton resume r1' } });
    assert.match(interrupted, /\*\*Status:\*\* interrupted/);
    assert.match(interrupted, /continue it with `baton resume r1`/);
  });
});

describe('probe checkpoint', () => {
  it('writes every segment so far while the probe runs, owner-only, and the live one grows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-ckpt-'));
    const server = await startTestServer((_req, res) => res.writeHead(200, { 'x-app-version': 'v2' }).end('ok'));
    try {
      const store = new FileArtifactStore(dir);
      const earlier = await segment('v1', 100);
      const probe = await startProbe({ url: server.url, rps: 100 });
      const checkpoint = new ProbeCheckpoint({
        probe,
        earlier: [earlier],
        save: (s) => store.saveProbeSegments('run-1', s),
        intervalMs: 100,
      });
      await sleep(350);
      const first = await store.loadProbeSegments('run-1');
      assert.equal(first?.length, 2);
      assert.equal(first?.[0]?.startedAt, earlier.startedAt);
      await sleep(250);
      checkpoint.now();
      await checkpoint.stop();
      const second = await store.loadProbeSegments('run-1');
      assert.ok((second?.[1]?.requests.total ?? 0) > (first?.[1]?.requests.total ?? 0), 'the live segment grows between checkpoints');
      const mode = (await stat(join(dir, 'run-1.probe.json'))).mode & 0o777;
      assert.equal(mode, 0o600);
      await probe.stop();
      assert.ok(JSON.parse(await readFile(join(dir, 'run-1.probe.json'), 'utf8')));
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a failing save is told, and the probe goes on', async () => {
    const server = await startTestServer((_req, res) => res.writeHead(200).end('ok'));
    try {
      const probe = await startProbe({ url: server.url, rps: 50 });
      const errors: unknown[] = [];
      const checkpoint = new ProbeCheckpoint({
        probe,
        save: async () => {
          throw new Error('disk full');
        },
        intervalMs: 50,
        onError: (e) => errors.push(e),
      });
      await sleep(200);
      await checkpoint.stop();
      assert.ok(errors.length > 0);
      assert.ok((await probe.stop()).requests.total > 0);
    } finally {
      await server.close();
    }
  });

  it('never takes more of the event loop than its share: a slow snapshot spaces the next ones out', async () => {
    const server = await startTestServer((_req, res) => res.writeHead(200).end('ok'));
    try {
      const real = await startProbe({ url: server.url, rps: 20 });
      let clock = 0;
      // Each snapshot "takes" 100 ms of the loop (the clock is the test's).
      const probe = {
        ...real,
        snapshot: () => {
          clock += 100;
          return real.snapshot();
        },
      };
      const delays: number[] = [];
      let saves = 0;
      const checkpoint = new ProbeCheckpoint({
        probe,
        save: async () => {
          saves += 1;
        },
        intervalMs: 2000,
        loopShare: 0.02,
        now: () => clock,
        setTimeout: (_fn, ms) => {
          delays.push(ms);
          return setTimeout(() => undefined, 0);
        },
        clearTimeout: (t) => clearTimeout(t),
      });
      checkpoint.now(); // a step starts: written now
      await sleep(20);
      assert.equal(saves, 1);
      // 100 ms at a 2% share: the next one is due 5 s later, not after the 2 s interval.
      assert.equal(delays.at(-1), 5000);
      clock += 200;
      checkpoint.now(); // another step start, too soon: deferred to when it is due
      await sleep(20);
      assert.equal(saves, 1);
      assert.equal(delays.at(-1), 4800);
      await checkpoint.stop();
      await real.stop();
    } finally {
      await server.close();
    }
  });
});
