import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Journal, JournalEntry } from '../journal.js';

/**
 * The contract every Journal implementation passes (memory, file, and a ConfigMap store later):
 * call it from the implementation's test file with a factory for a fresh, empty journal.
 */
export function journalContract(name: string, make: () => Promise<{ journal: Journal; cleanup(): Promise<void> }>): void {
  const started = (runId: string, app: string, at: number): JournalEntry => ({
    at,
    runId,
    type: 'run-started',
    app,
    namespace: 'ns',
    steps: [{ id: 'a', kind: 'k', title: 'A', reversible: false, params: { nested: { list: [1, 'two', null] } } }],
    meta: { by: 'contract' },
  });

  test(`${name} (Journal contract): entries come back equal and in order`, { timeout: 5000 }, async () => {
    const { journal, cleanup } = await make();
    try {
      const entries: JournalEntry[] = [
        started('r1', 'web', 1),
        { at: 2, runId: 'r1', type: 'step-started', stepId: 'a' },
        { at: 3, runId: 'r1', type: 'step-checkpoint', stepId: 'a', data: { image: 'v1' } },
        { at: 4, runId: 'r1', type: 'step-finished', stepId: 'a', result: { kind: 'done', data: { n: 1 } } },
        { at: 5, runId: 'r1', type: 'run-finished', status: 'succeeded' },
      ];
      // Appends without awaiting in between must still land in call order.
      await Promise.all(entries.map((entry) => journal.append(entry)));
      assert.deepEqual(await journal.read('r1'), entries);
      assert.deepEqual(await journal.read('nope'), []);
    } finally {
      await cleanup();
    }
  });

  test(`${name} (Journal contract): listRuns summarizes, filters by app, newest first`, { timeout: 5000 }, async () => {
    const { journal, cleanup } = await make();
    try {
      await journal.append(started('r1', 'web', 10));
      await journal.append(started('r2', 'api', 20));
      await journal.append(started('r3', 'web', 30));
      await journal.append({ at: 40, runId: 'r1', type: 'run-finished', status: 'rolled-back', reason: 'why', failedStep: 'a' });
      await journal.append({ at: 50, runId: 'r3', type: 'run-finished', status: 'paused', reason: 'human' });
      await journal.append({ at: 60, runId: 'r3', type: 'run-resumed' });
      const all = await journal.listRuns();
      assert.deepEqual(
        all.map((r) => `${r.runId}:${r.status}`),
        ['r3:running', 'r2:running', 'r1:rolled-back'],
      );
      assert.deepEqual(all[2], {
        runId: 'r1',
        app: 'web',
        namespace: 'ns',
        status: 'rolled-back',
        startedAt: 10,
        updatedAt: 40,
        reason: 'why',
        failedStep: 'a',
      });
      assert.deepEqual(
        (await journal.listRuns({ app: 'web' })).map((r) => r.runId),
        ['r3', 'r1'],
      );
    } finally {
      await cleanup();
    }
  });

  test(`${name} (Journal contract): callers cannot change history by mutating objects`, { timeout: 5000 }, async () => {
    const { journal, cleanup } = await make();
    try {
      const entry = started('r1', 'web', 1);
      await journal.append(entry);
      (entry as { app: string }).app = 'changed';
      const read = await journal.read('r1');
      (read[0] as { app: string }).app = 'changed again';
      assert.equal(((await journal.read('r1'))[0] as { app: string }).app, 'web');
    } finally {
      await cleanup();
    }
  });
}
