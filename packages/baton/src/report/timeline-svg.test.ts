import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../engine/journal.js';
import { runEventsFrom } from '../upgrade/run-events.js';
import { layoutLabels } from './label-lanes.js';
import type { RunRecord } from './run-record.js';
import { renderHtml } from './render-html.js';
import { renderTimelineSvg } from './timeline-svg.js';
import { parseWellFormed } from './well-formed.js';

const t0 = 1_700_000_000_000;

test('labels laid out in lanes never overlap, however close their marks are', () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ x: 60 + i * 9 + (i % 3), text: `canary:${i}:weight-${i * 3}`, item: i }));
  const placed = layoutLabels(items, { minX: 0, maxX: 400, charWidth: 6.2, pad: 3, maxChars: 34 });
  assert.equal(placed.length, 30);
  for (const a of placed) {
    assert.ok(a.left >= 0 && a.right <= 400, `${a.text} stays inside`);
    for (const b of placed)
      if (a !== b && a.lane === b.lane) assert.ok(a.right + 3 <= b.left || b.right + 3 <= a.left, `${a.text} / ${b.text}`);
  }
  assert.ok(
    placed.some((p) => p.anchor === 'end'),
    'labels near the right edge go left of their line',
  );
});

test('a failed gate and the rollback it started are read from the journal and marked on the timeline', () => {
  const steps = [
    { id: 'canary:0:weight-30', kind: 'set-weight', title: 'weight 30', reversible: true, params: {} },
    { id: 'canary:1:analysis', kind: 'gate', title: 'analysis', reversible: true, params: {} },
  ];
  const entries: JournalEntry[] = [
    { at: t0, runId: 'r', type: 'run-started', app: 'demo', namespace: 'default', steps, meta: {} },
    { at: t0 + 100, runId: 'r', type: 'step-started', stepId: 'canary:0:weight-30' },
    { at: t0 + 200, runId: 'r', type: 'step-finished', stepId: 'canary:0:weight-30', result: { kind: 'done' } },
    { at: t0 + 300, runId: 'r', type: 'step-started', stepId: 'canary:1:analysis' },
    {
      at: t0 + 4000,
      runId: 'r',
      type: 'step-finished',
      stepId: 'canary:1:analysis',
      result: { kind: 'failed', reason: 'gate probe failed: 9 of 100 failed' },
    },
    { at: t0 + 4010, runId: 'r', type: 'undo-started', stepId: 'canary:0:weight-30' },
    { at: t0 + 4100, runId: 'r', type: 'undo-finished', stepId: 'canary:0:weight-30' },
    { at: t0 + 4200, runId: 'r', type: 'run-finished', status: 'rolled-back', reason: 'gate failed' },
  ];
  const events = runEventsFrom(entries);
  assert.deepEqual(
    events.map((e) => [e.kind, e.at - t0]),
    [
      ['gate-failed', 4000],
      ['rollback-started', 4010],
      ['rollback-finished', 4200],
    ],
  );
  const record: RunRecord = {
    runId: 'r',
    app: 'demo',
    namespace: 'default',
    strategy: 'canary',
    fromVersion: 'v1',
    toVersion: 'v2',
    status: 'rolled-back',
    startedAt: t0,
    finishedAt: t0 + 4200,
    backups: [],
    migrations: [],
    drift: [],
    events,
    steps: steps.map((s, i) => ({ id: s.id, title: s.title, kind: s.kind, startedAt: t0 + 100 + i * 200, status: 'undone' as const })),
  };
  const elements = parseWellFormed(renderTimelineSvg(record));
  const kinds = elements.filter((e) => e.name === 'g' && e.attrs['data-kind']).map((e) => e.attrs['data-kind']);
  assert.deepEqual(kinds, ['step', 'step', 'gate-failed', 'rollback-started', 'rollback-finished']);
  assert.equal(elements.filter((e) => e.attrs.class === 'rollback-window').length, 1);
  // Five labels within 4.1 s of a 4.2 s run: they need more than one lane, and get them.
  const ys = new Set(elements.filter((e) => e.attrs.class === 'mark-label').map((e) => e.attrs.y));
  assert.ok(ys.size >= 2, `lanes used: ${[...ys].join(', ')}`);
  const html = parseWellFormed(renderHtml(record));
  assert.deepEqual(
    html.filter((e) => e.name === 'tr' && e.attrs['data-event']).map((e) => e.attrs['data-event']),
    ['gate-failed', 'rollback-started', 'rollback-finished'],
  );
});
