import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal } from './file-journal.js';
import type { JournalEntry } from './journal.js';
import { isBatonError } from '../errors.js';

const started: JournalEntry = {
  at: 1000,
  runId: 'r1',
  type: 'run-started',
  app: 'web',
  namespace: 'prod',
  steps: [{ id: 'a', kind: 'test', title: 'A', reversible: true, params: { n: 1 } }],
  meta: {},
};
const stepStarted: JournalEntry = { at: 1001, runId: 'r1', type: 'step-started', stepId: 'a' };
const stepFinished: JournalEntry = { at: 1002, runId: 'r1', type: 'step-finished', stepId: 'a', result: { kind: 'done' } };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-journal-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('entries round-trip through JSON lines, in order, across instances', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.append(stepStarted);
    await journal.close();
    const again = new FileJournal({ dir });
    await again.append(stepFinished);
    assert.deepEqual(await again.read('r1'), [started, stepStarted, stepFinished]);
    const text = await readFile(join(dir, 'runs', 'r1.jsonl'), 'utf8');
    assert.equal(text.split('\n').length, 4, 'three lines and a final newline');
    assert.deepEqual(await again.read('unknown'), []);
    await again.close();
  });
});

test('a torn last line is ignored on read and cut off before the next append', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.append(stepStarted);
    await journal.close();
    const path = join(dir, 'runs', 'r1.jsonl');
    await appendFile(path, '{"at":1002,"runId":"r1","type":"step-fin');
    const fresh = new FileJournal({ dir });
    assert.deepEqual(await fresh.read('r1'), [started, stepStarted]);
    await fresh.append(stepFinished);
    assert.deepEqual(await fresh.read('r1'), [started, stepStarted, stepFinished]);
    assert.ok(!(await readFile(path, 'utf8')).includes('step-fin"'), 'the torn bytes are gone');
    await fresh.close();
  });
});

test('a tail torn by another process is cut before this open journal appends again', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const mine = new FileJournal({ dir });
    await mine.append(started);
    // Another process resumed the run and crashed mid-line while this one kept its file open.
    await appendFile(join(dir, 'runs', 'r1.jsonl'), `${JSON.stringify(stepStarted)}\n{"at":10`);
    await mine.append(stepFinished);
    assert.deepEqual(await mine.read('r1'), [started, stepStarted, stepFinished]);
    await mine.close();
  });
});

test('a damaged but newline-terminated last line counts as torn too', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.close();
    await appendFile(join(dir, 'runs', 'r1.jsonl'), '\u0000\u0000\u0000\n');
    const fresh = new FileJournal({ dir });
    assert.deepEqual(await fresh.read('r1'), [started]);
    await fresh.append(stepStarted);
    assert.deepEqual(await fresh.read('r1'), [started, stepStarted]);
    await fresh.close();
  });
});

test('damage before the last line is corruption, never silently skipped', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.close();
    const path = join(dir, 'runs', 'r1.jsonl');
    await appendFile(path, `garbage\n${JSON.stringify(stepStarted)}\n`);
    const fresh = new FileJournal({ dir });
    await assert.rejects(fresh.read('r1'), (e) => isBatonError(e) && e.code === 'JOURNAL_CORRUPT' && /r1\.jsonl:2/.test(e.message));
    await assert.rejects(fresh.append(stepFinished), (e) => isBatonError(e) && e.code === 'JOURNAL_CORRUPT');
    await fresh.close();
  });
});

test('listRuns reads the atomically written index, newest first, filtered by app', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.append({ ...started, runId: 'r2', at: 2000, app: 'api' });
    await journal.append({ at: 3000, runId: 'r1', type: 'run-finished', status: 'halted', reason: 'x', failedStep: 'a' });
    const all = await journal.listRuns();
    assert.deepEqual(
      all.map((r) => [r.runId, r.status]),
      [
        ['r2', 'running'],
        ['r1', 'halted'],
      ],
    );
    assert.deepEqual(all[1], {
      runId: 'r1',
      app: 'web',
      namespace: 'prod',
      status: 'halted',
      startedAt: 1000,
      updatedAt: 3000,
      reason: 'x',
      failedStep: 'a',
    });
    assert.deepEqual(
      (await journal.listRuns({ app: 'api' })).map((r) => r.runId),
      ['r2'],
    );
    const index = JSON.parse(await readFile(join(dir, 'index', 'r1.json'), 'utf8')) as { summary: { status: string } };
    assert.equal(index.summary.status, 'halted');
    await journal.close();
  });
});

test('listRuns trusts the journal over an index left stale by a crash', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await journal.append(started);
    await journal.close();
    // A crash after the journal append but before the index write: the index says running.
    const finished = { at: 2000, runId: 'r1', type: 'run-finished', status: 'succeeded' };
    await appendFile(join(dir, 'runs', 'r1.jsonl'), `${JSON.stringify(finished)}\n`);
    assert.equal((await new FileJournal({ dir }).listRuns())[0]?.status, 'succeeded');
    // And a missing index is rebuilt from the journal alone.
    await rm(join(dir, 'index'), { recursive: true });
    assert.equal((await new FileJournal({ dir }).listRuns())[0]?.status, 'succeeded');
  });
});

test('run ids that cannot be file names are refused', { timeout: 5000 }, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    await assert.rejects(journal.append({ ...started, runId: '../escape' }), (e) => isBatonError(e) && e.code === 'JOURNAL_BAD_RUN_ID');
    assert.deepEqual(await journal.listRuns(), []);
  });
});

test("a finished run's file is closed at once, and a later append (a resume) opens it again", {
  timeout: 10_000,
  skip: existsSync('/proc/self/fd') ? false : 'needs /proc/self/fd',
}, async () => {
  await withDir(async (dir) => {
    const journal = new FileJournal({ dir });
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 40; i++) {
      const runId = `run-${i}`;
      await journal.append({ ...started, runId });
      await journal.append({ at: 1003, runId, type: 'run-finished', status: 'succeeded' });
    }
    assert.ok(openFds() - before < 5, `40 finished runs hold ${openFds() - before} descriptors`);
    await journal.append({ at: 1004, runId: 'run-0', type: 'run-resumed' });
    assert.deepEqual(
      (await journal.read('run-0')).map((e) => e.type),
      ['run-started', 'run-finished', 'run-resumed'],
    );
    await journal.close();
  });
});
