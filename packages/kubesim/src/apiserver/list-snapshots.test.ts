import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListSnapshots } from './list-snapshots.js';

describe('list snapshots', () => {
  it('serves the saved remainder until the token expires, then reports it gone', () => {
    let now = 1000;
    const s = new ListSnapshots(60_000, 2, () => now);
    const item = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const token = s.save([item], '7');
    assert.deepEqual(s.take(token), { items: [item], rv: '7' });
    now += 60_001;
    assert.equal(s.take(token), undefined);
    assert.equal(s.take('not-base64-json'), 'invalid');
  });

  it('keeps at most `max` lists, dropping the oldest', () => {
    const s = new ListSnapshots(60_000, 2);
    const t1 = s.save([], '1');
    const t2 = s.save([], '2');
    const t3 = s.save([], '3');
    assert.equal(s.take(t1), undefined);
    assert.deepEqual(
      [s.take(t2), s.take(t3)].map((x) => (x && x !== 'invalid' ? x.rv : x)),
      ['2', '3'],
    );
  });
});
