import { startRun } from '../engine.js';
import type { EngineEvent } from '../engine-event.js';
import { MemoryJournal } from '../memory-journal.js';
import { MemoryLock } from '../memory-lock.js';
import { createRecordingKind, testStep } from './recording-step-kind.js';

/** The app every engine test runs. */
export const engineTarget = { app: 'web', namespace: 'prod' };

/**
 * An engine on an in-memory journal and lock with one recording step kind (`test`): `start` runs
 * run `r1` (default steps a, b, c); `events` collects what listeners saw; `types` lists the journal.
 */
export function engineSetup() {
  const journal = new MemoryJournal();
  const lock = new MemoryLock();
  const rec = createRecordingKind();
  const events: EngineEvent[] = [];
  const base = {
    journal,
    lock,
    registry: { test: rec.kind },
    onEvent: (e: EngineEvent) => events.push(e),
    holder: 'tester',
  };
  const start = (steps = ['a', 'b', 'c'].map((id) => testStep(id)), extra = {}) =>
    startRun({ ...base, ...extra, runId: 'r1', ...engineTarget, steps });
  const types = async () => (await journal.read('r1')).map((e) => ('stepId' in e ? `${e.type}:${e.stepId}` : e.type));
  return { journal, lock, rec, events, base, start, types };
}
