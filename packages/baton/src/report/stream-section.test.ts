import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startProbe } from '../probe/probe.js';
import { startDemoApp, startForwarder } from '../probe/test-servers.js';
import { renderHtml, renderMarkdown } from './index.js';
import type { RunRecord } from './run-record.js';
import { streamRows } from './stream-section.js';
import { parseWellFormed } from './well-formed.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('report stream section', () => {
  it('shows completed / resumed (gap p50, p99, max) / cut per version, from a real drain of v1 to v2', { timeout: 30_000 }, async () => {
    const a = await startDemoApp({ APP_VERSION: 'v1', DRAIN_TIMEOUT_MS: '2000', DRAIN_JITTER_MS: '0' });
    const b = await startDemoApp({ APP_VERSION: 'v2' });
    const proxy = await startForwarder(a.port);
    let record: Awaited<ReturnType<Awaited<ReturnType<typeof startProbe>>['stop']>>;
    try {
      const probe = await startProbe({
        url: proxy.url,
        rps: 10,
        streams: { count: 1, path: '/stream?seconds=0.4&kbps=64' },
        sse: { count: 2, path: '/events' },
        websockets: { count: 1, path: '/ws' },
      });
      await sleep(600);
      proxy.target(b.port);
      await a.kill('SIGTERM');
      await sleep(900);
      record = await probe.stop();
    } finally {
      await proxy.close();
      await a.kill();
      await b.kill();
    }
    const rows = streamRows(record);
    const sseV1 = rows.find((r) => r.kind === 'sse' && r.version === 'v1');
    assert.ok(sseV1, JSON.stringify(rows));
    assert.equal(sseV1.resumed, 2);
    assert.equal(sseV1.cut, 0);
    assert.equal(sseV1.lost, 0);
    assert.ok(sseV1.gapMaxMs !== null && sseV1.gapP50Ms !== null && sseV1.gapP50Ms <= sseV1.gapMaxMs);
    assert.equal(rows.find((r) => r.kind === 'websocket' && r.version === 'v1')?.resumed, 1);
    assert.ok((rows.find((r) => r.kind === 'download' && r.version === 'v1')?.completed ?? 0) >= 1);

    const run: RunRecord = {
      runId: 'r',
      app: 'demo',
      namespace: 'default',
      strategy: 'rolling',
      fromVersion: 'v1',
      toVersion: 'v2',
      status: 'succeeded',
      startedAt: record.startedAt,
      finishedAt: record.stoppedAt,
      steps: [],
      probe: record,
      backups: [],
      migrations: [],
      drift: [],
      drains: [
        {
          stepId: 'drain:demo',
          deadlineSeconds: 60,
          source: 'metric',
          deadlineReached: true,
          pods: [
            { pod: 'demo-1', version: 'v1', connectionsAtStart: 3, drainedAfterMs: 4200, cutAtDeadline: null },
            { pod: 'demo-2', version: 'v1', connectionsAtStart: 2, drainedAfterMs: null, cutAtDeadline: 1 },
          ],
        },
      ],
    };
    const md = renderMarkdown(run);
    assert.match(md, /### Streams by version/);
    assert.match(
      md,
      new RegExp(
        `\\| SSE \\| v1 \\| — \\| 2 \\| ${Math.round(sseV1.gapP50Ms)} ms / ${Math.round(sseV1.gapP99Ms ?? 0)} ms / ${Math.round(sseV1.gapMaxMs)} ms \\| 0 \\| 0 / 0 \\|`,
      ),
    );
    assert.match(md, /\| drain:demo \(deadline 60 s, metric\) \| demo-2 \| v1 \| 2 \| deadline \| 1 \|/);
    assert.match(md, /\| drain:demo \(deadline 60 s, metric\) \| demo-1 \| v1 \| 3 \| 4\.2 s \| 0 \|/);
    const html = renderHtml(run);
    assert.doesNotThrow(() => parseWellFormed(html));
    assert.match(html, /<tr data-kind="websocket" data-version="v1">/);
    assert.match(html, /<table class="drains">/);
  });
});
