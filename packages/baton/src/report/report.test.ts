import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startProbe } from '../probe/probe.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { startTestServer } from '../probe/test-servers.js';
import { renderHtml, renderJson, renderMarkdown } from './index.js';
import type { RunRecord } from './run-record.js';
import { NOT_MEASURED, summarize } from './summarize.js';
import { parseWellFormed } from './well-formed.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A real short probe run: v1 then v2 answering, every 10th request a 500, streams and writes. */
async function realProbeRun(): Promise<ProbeRecord> {
  let version = 'v1';
  let n = 0;
  const rows = new Map<string, string>();
  const server = await startTestServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const headers = { 'x-app-version': version, 'content-type': 'application/json' };
      if (req.url?.startsWith('/stream')) {
        res.writeHead(200, { ...headers, 'content-length': '2000' });
        res.write(Buffer.alloc(1000));
        setTimeout(() => res.end(Buffer.alloc(1000)), 100);
      } else if (req.method === 'POST') {
        const { first_name, last_name } = JSON.parse(body) as Record<string, string>;
        const id = String(rows.size + 1);
        rows.set(id, `${first_name} ${last_name}`);
        res.writeHead(201, headers).end(JSON.stringify({ id }));
      } else if (req.url?.startsWith('/users/')) {
        const id = req.url.slice('/users/'.length);
        res.writeHead(200, headers).end(JSON.stringify({ id, full_name: rows.get(id) }));
      } else {
        n += 1;
        res.writeHead(n % 10 === 0 ? 500 : 200, headers).end('{}');
      }
    });
  });
  try {
    const probe = await startProbe({
      url: server.url,
      rps: 100,
      bucketMs: 100,
      streams: { count: 1, path: '/stream' },
      writes: { path: '/users', rps: 10 },
    });
    probe.mark('rollout:web');
    await sleep(400);
    version = 'v2';
    probe.mark('switch <v2> & go');
    await sleep(400);
    return await probe.stop();
  } finally {
    await server.close();
  }
}

function runRecord(probe: ProbeRecord | undefined): RunRecord {
  const t = probe?.startedAt ?? 1_700_000_000_000;
  return {
    runId: 'run-1',
    app: 'demo',
    namespace: 'default',
    strategy: 'rolling',
    fromVersion: 'v1',
    toVersion: 'v2',
    status: 'succeeded',
    startedAt: t - 2_000,
    finishedAt: t + 1_500,
    steps: [
      {
        id: 'backup',
        title: 'Back up the database',
        kind: 'backup',
        startedAt: t - 2_000,
        finishedAt: t - 1_000,
        status: 'done',
        summary: 'pg_dump 1.2 MiB',
      },
      { id: 'rollout:web', title: 'Roll out web', kind: 'rollout', movesTraffic: true, startedAt: t, finishedAt: t + 750, status: 'done' },
    ],
    ...(probe ? { probe } : {}),
    backups: [
      {
        method: 'pg_dump',
        path: '/tmp/b.dump',
        sizeBytes: 456_130_560,
        compressedBytes: 208_666_624,
        verified: true,
        detail: 'restored into scratch db, 3 tables match',
      },
    ],
    migrations: [{ version: '0002', phase: 'expand', status: 'applied', durationMs: 41 }],
    drift: [{ resource: 'Deployment/web', field: 'spec.replicas', manifest: '1', cluster: '2' }],
  };
}

describe('report from a real probe run', () => {
  let probe: ProbeRecord;
  before(async () => {
    probe = await realProbeRun();
  });

  it('summarizes measured numbers only', { timeout: 20_000 }, () => {
    const rows = Object.fromEntries(summarize(runRecord(probe)).rows.map((r) => [r.metric, r]));
    assert.ok(probe.requests.total >= 60 && probe.requests.failed >= 6);
    assert.equal(rows['failed-requests']?.value, `${probe.requests.failed} / ${probe.requests.total}`);
    assert.equal(rows.downtime?.raw, probe.downtime.totalMs);
    assert.equal(rows['rollout-time']?.value, '0.75 s');
    assert.equal(rows['streams-cut']?.value, `0 / ${probe.streams?.started}`);
    assert.equal(rows['data-loss']?.value, `0 lost / ${probe.writes?.attempted} writes`);
    assert.equal(rows['backup-size']?.value, '199.0 MiB (compressed, 435.0 MiB raw, restore verified)');
    assert.equal(rows['connections-cut']?.value, NOT_MEASURED, 'no SSE/WebSocket ran');
  });

  it('prints the same numbers in markdown, JSON and HTML; the HTML is well-formed with the timeline', () => {
    const r = runRecord(probe);
    const failed = `${probe.requests.failed} / ${probe.requests.total}`;
    const md = renderMarkdown(r);
    assert.match(md, new RegExp(`\\| Failed requests \\| ${failed} \\|`));
    assert.match(md, /\| Backup size \| 199\.0 MiB/);
    assert.match(md, /\| Deployment\/web \| spec\.replicas \| 1 \| 2 \|/);
    assert.ok(
      md.includes(
        `Answered by version: ${Object.entries(probe.requests.byVersion)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ')}.`,
      ),
      md,
    );

    const json = JSON.parse(renderJson(r)) as RunRecord & { summary: { metric: string; value: string }[] };
    assert.equal(json.probe?.requests.total, probe.requests.total);
    assert.equal(json.summary.find((s) => s.metric === 'failed-requests')?.value, failed);

    const html = renderHtml(r);
    const elements = parseWellFormed(html);
    assert.ok(html.includes(`<tr data-metric="failed-requests"><td>Failed requests</td><td>${failed}</td></tr>`));
    const svg = elements.filter((e) => e.name === 'svg');
    assert.equal(svg.length, 1);
    const areas = elements.filter((e) => e.name === 'path' && e.attrs.class === 'area');
    assert.deepEqual(
      areas.map((a) => a.attrs['data-version']),
      ['v1', 'v2'],
    );
    const failureMarks = elements.filter((e) => e.attrs.class === 'failure');
    assert.equal(failureMarks.length, probe.buckets.filter((b) => b.failed > 0).length);
    assert.ok(failureMarks.length > 0);
    assert.ok(elements.some((e) => e.name === 'polyline' && e.attrs.class === 'p99'));
    assert.equal(elements.filter((e) => e.name === 'g' && e.attrs.class === 'mark').length, 2);
    assert.ok(html.includes('switch &lt;v2&gt; &amp; go'), 'labels are escaped');
  });

  it('says "not measured" (never 0) when the probe did not run', () => {
    const r = runRecord(undefined);
    const rows = summarize(r).rows;
    for (const metric of ['downtime', 'failed-requests', 'streams-cut', 'data-loss', 'connections-cut']) {
      const row = rows.find((x) => x.metric === metric);
      assert.equal(row?.value, NOT_MEASURED, metric);
      assert.equal(row?.raw, null);
    }
    const md = renderMarkdown(r);
    assert.match(md, /\| Downtime \| not measured \|/);
    assert.match(md, /\| Data loss \| not measured \|/);
    assert.doesNotMatch(md, /\| Failed requests \| \d/);
    const html = renderHtml(r);
    const elements = parseWellFormed(html);
    assert.ok(elements.some((e) => e.attrs.class === 'not-measured' && e.name === 'text'));
    assert.ok(html.includes('<tr data-metric="downtime"><td>Downtime</td><td class="not-measured">not measured</td></tr>'));
    const json = JSON.parse(renderJson(r)) as { summary: { metric: string; value: string }[]; probe?: unknown };
    assert.equal(json.probe, undefined);
    assert.equal(json.summary.find((s) => s.metric === 'downtime')?.value, NOT_MEASURED);
  });

  it('the well-formedness check itself rejects broken markup', () => {
    assert.throws(() => parseWellFormed('<a><b></a></b>'), /closes/);
    assert.throws(() => parseWellFormed('<p>a & b</p>'), /bare '&'/);
    assert.throws(() => parseWellFormed('<p x=1></p>'), /bad attribute/);
  });
});

describe('traffic judged per step', () => {
  it('shows weight set / share measured / answers judged per gate, and a skipped gate as a notice', () => {
    const r = runRecord(undefined);
    const t0 = r.startedAt;
    r.steps.push(
      {
        id: 'canary:1:analysis',
        title: 'Analysis',
        kind: 'gate',
        startedAt: t0,
        finishedAt: t0 + 5000,
        status: 'failed',
        reason: 'gate probe budget failed',
        traffic: {
          weightSet: 10,
          route: null,
          segment: 'all',
          expectedShare: 10,
          measuredShare: 9.8,
          newVersions: ['v2'],
          answersJudged: 196,
          failedJudged: 10,
          errorRate: 0.05102,
          p99Ms: 4.2,
          requests: 2000,
          byVersion: { v1: { answers: 1804, failed: 0 }, v2: { answers: 196, failed: 10 } },
          changedAt: t0,
          settledAt: t0 + 1250,
          settle: 'measured share 9% within 9 points of 10% over 100 answers',
        },
      },
      {
        id: 'analysis:probe',
        title: 'Analysis',
        kind: 'gate',
        startedAt: t0,
        finishedAt: t0,
        status: 'skipped',
        summary: 'skipped: no traffic probe is running (probe disabled, or nothing to probe yet)',
      },
    );
    const md = renderMarkdown(r);
    assert.match(md, /## Traffic judged per step/);
    assert.match(
      md,
      /\| canary:1:analysis \| 10% \| 9\.8% v2 of 2000 requests \| 196 \(10 failed, 5\.10%\) \| 4\.2 ms \| \+1\.25 s \(measured share 9% within 9 points of 10% over 100 answers\) \|/,
    );
    assert.match(md, /\*\*Notice:\*\* gate `analysis:probe` was skipped: no traffic probe is running/);
    const html = renderHtml(r);
    parseWellFormed(html);
    assert.ok(html.includes('<td>196 (10 failed, 5.10%)</td>'));
    assert.ok(html.includes('Notice: gate <code>analysis:probe</code> was skipped'));
    const json = JSON.parse(renderJson(r)) as RunRecord;
    assert.equal(json.steps.find((s) => s.id === 'canary:1:analysis')?.traffic?.answersJudged, 196);
  });
});
