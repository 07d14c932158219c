import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore } from './log-store.js';

test('stores runs separately, tails, timestamps and follows', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-logs-'));
  try {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const store = new LogStore(dir, () => t);
    const w1 = store.open('ns', 'p', 'u', 'c');
    w1.write('stdout', 'one\ntw');
    w1.write('stdout', 'o\n');
    w1.write('stderr', 'err\n');
    w1.write('stdout', 'partial');
    w1.close();
    const w2 = store.open('ns', 'p', 'u', 'c');
    t += 1000;
    w2.write('stdout', 'second run\n');
    const cur = store.read('ns', 'p', 'c', {});
    assert.equal(cur.kind === 'ok' && cur.text, 'second run\n');
    const prev = store.read('ns', 'p', 'c', { previous: true });
    assert.equal(prev.kind === 'ok' && prev.text, 'one\ntwo\nerr\npartial');
    const tail = store.read('ns', 'p', 'c', { previous: true, tailLines: 2, timestamps: true });
    assert.equal(tail.kind === 'ok' && tail.text, '2026-01-01T00:00:00.000Z err\n2026-01-01T00:00:00.000Z partial');
    assert.equal(cur.kind === 'ok' && typeof cur.follow, 'function');
    const got: string[] = [];
    let ended = false;
    if (cur.kind === 'ok' && cur.follow)
      cur.follow(
        (x) => got.push(x),
        () => {
          ended = true;
        },
      );
    w2.write('stdout', 'third\n');
    w2.close();
    assert.deepEqual(got, ['third\n']);
    assert.equal(ended, true);
    assert.equal(store.read('ns', 'p', 'zz', {}).kind, 'not-found');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rotates past the size cap, keeping one rotated file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-logs-'));
  try {
    const store = new LogStore(dir, Date.now, 100);
    const w = store.open('ns', 'p', 'u', 'c');
    for (let i = 0; i < 20; i++) w.write('stdout', `line ${i}\n`);
    w.close();
    const r = store.read('ns', 'p', 'c', {});
    const text = r.kind === 'ok' ? r.text : '';
    assert.match(text, /line 19\n$/);
    assert.doesNotMatch(text, /line 0\n/, 'the oldest lines were rotated away');
    assert.equal(
      store.read('ns', 'p', 'c', { tailLines: 2 }).kind === 'ok' && (store.read('ns', 'p', 'c', { tailLines: 2 }) as { text: string }).text,
      'line 18\nline 19\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
