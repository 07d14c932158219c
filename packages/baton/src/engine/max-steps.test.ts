import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeRun, startRun } from './engine.js';
import { MemoryJournal } from './memory-journal.js';
import { MemoryLock } from './memory-lock.js';
import { createRecordingKind, testStep } from './testing/recording-step-kind.js';

const target = { app: 'web', namespace: 'prod' };

test('maxSteps: each call takes one step and leaves the run running; a failure still rolls back at once', { timeout: 5000 }, async () => {
  const journal = new MemoryJournal();
  const rec = createRecordingKind();
  const base = { journal, lock: new MemoryLock(), registry: { test: rec.kind }, holder: 'controller', maxSteps: 1 };
  const steps = ['a', 'b', 'c'].map((id) => testStep(id));
  assert.equal((await startRun({ ...base, runId: 'r1', ...target, steps })).status, 'running');
  assert.deepEqual(rec.calls, ['run:a']);
  assert.equal((await resumeRun({ ...base, runId: 'r1' })).status, 'running');
  assert.deepEqual(rec.calls, ['run:a', 'run:b']);
  rec.script.c = { run: 'failed' };
  const last = await resumeRun({ ...base, runId: 'r1' });
  assert.equal(last.status, 'rolled-back');
  assert.deepEqual(rec.calls, ['run:a', 'run:b', 'run:c', 'undo:c', 'undo:b', 'undo:a']);
});
