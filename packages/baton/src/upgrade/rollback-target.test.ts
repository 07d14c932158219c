import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBatonError } from '../errors.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import { pickRollbackTarget, revisionStanding } from './rollback-target.js';

const entry = (version: string, o: Partial<ReleaseEntry> = {}): ReleaseEntry => ({
  version,
  image: `demo/app:${version}`,
  runId: `run-${version}`,
  strategy: 'rolling',
  at: '2026-12-02T00:00:00.000Z',
  deployment: 'demo',
  ...o,
});
// v1 twice: installed, then returned to by a rollback. Revisions 3..6 (older ones were trimmed).
const history = [
  entry('v1', { revision: 3 }),
  entry('v2', { revision: 4 }),
  entry('v1', { revision: 5, rollbackOf: 'v2' }),
  entry('v3', { revision: 6 }),
];
const base = { app: 'demo', namespace: 'default', history };

test('--to-revision picks that revision, even an older entry of a version recorded twice', () => {
  const { target, current } = pickRollbackTarget({ ...base, toRevision: 3 });
  assert.deepEqual([target.revision, target.version, current.revision], [3, 'v1', 6]);
  assert.equal(pickRollbackTarget({ ...base, toRevision: 4 }).target.version, 'v2');
  assert.equal(pickRollbackTarget({ ...base, to: 'v1' }).target.revision, 5, '--to VERSION takes the newest revision of it');
  assert.equal(pickRollbackTarget(base).target.revision, 5, 'default: the release before the current one');
});

test('an unknown revision names the revisions there are; the current one is nothing to roll back', () => {
  assert.throws(
    () => pickRollbackTarget({ ...base, toRevision: 2 }),
    (e) =>
      isBatonError(e) &&
      e.code === 'REVISION_UNKNOWN' &&
      e.message === 'demo has no revision 2: its revisions are 3–6' &&
      /baton history/.test(e.hint ?? ''),
  );
  assert.throws(
    () => pickRollbackTarget({ ...base, history: [], toRevision: 1 }),
    (e) => isBatonError(e) && e.code === 'ROLLBACK_NO_HISTORY',
  );
  assert.equal(revisionStanding(history, 6).kind, 'current');
  assert.equal(
    revisionStanding([entry('v1'), entry('v2'), entry('v2', { runId: 'again' })], 2).kind,
    'current',
    'same version and image as what runs: nothing to do',
  );
  assert.deepEqual(revisionStanding([entry('v1'), entry('v2')], 7), { kind: 'unknown', revisions: [1, 2] });
  assert.throws(
    () => pickRollbackTarget({ ...base, toRevision: 6 }),
    (e) => isBatonError(e) && e.code === 'ROLLBACK_NO_TARGET' && /revision 6 \(v3\) is what runs now/.test(e.message),
  );
});
