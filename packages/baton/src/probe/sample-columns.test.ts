import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SampleColumns } from './sample-columns.js';
import type { RequestSample } from './sample-columns.js';

describe('SampleColumns', () => {
  it('reads back every field of every row, across growth', () => {
    const c = new SampleColumns();
    const rows: RequestSample[] = [];
    for (let i = 0; i < 5_000; i++) {
      const failed = i % 7 === 0;
      rows.push({
        sentAt: 1_700_000_000_000 + i * 5.25,
        doneAt: 1_700_000_000_000 + i * 5.25 + (i % 13) + 0.5,
        status: i % 11 === 0 ? null : failed ? 503 : 200,
        version: i % 17 === 0 ? null : `v${i % 3}`,
        fresh: i % 5 === 0,
        ...(failed
          ? { failure: { reason: (['status', 'refused', 'reset', 'timeout', 'error'] as const)[i % 5] ?? 'error', message: null } }
          : {}),
      });
    }
    for (const r of rows) c.push(r);
    assert.equal(c.length, rows.length);
    rows.forEach((r, i) => {
      assert.equal(c.sentAt(i), r.sentAt);
      assert.equal(c.doneAt(i), r.doneAt);
      assert.equal(c.status(i), r.status);
      assert.equal(c.version(i), r.version);
      assert.equal(c.fresh(i), r.fresh);
      assert.equal(c.reason(i), r.failure?.reason);
      assert.equal(c.ok(i), r.failure === undefined);
    });
    assert.deepEqual(c.versions.sort(), ['v0', 'v1', 'v2']);
  });

  it('finds the first row that may have been sent since a time, by completion order', () => {
    const c = new SampleColumns();
    for (let i = 0; i < 100; i++) c.push({ sentAt: i * 10, doneAt: i * 10 + 25, status: 200, version: 'v1', fresh: false });
    // Rows finished before 500 were sent before 500: row 48 (done 505, sent 480) is the first candidate.
    assert.equal(c.firstRowSince(500), 48);
    assert.equal(c.firstRowSince(0), 0);
    assert.equal(c.firstRowSince(10_000), 100);
    c.push({ sentAt: 5, doneAt: 6, status: 200, version: 'v1', fresh: false });
    assert.equal(c.firstRowSince(500), 0, 'out of order: scan everything');
  });
});
