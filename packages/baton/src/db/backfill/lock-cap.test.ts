import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultBatchLimits } from './batch-sizer.js';
import { limitsUnderCap, lockCapMs } from './lock-cap.js';

test('the lock cap leaves room for what holds locks after the statement: the commit, and InnoDB undo', () => {
  assert.equal(lockCapMs(defaultBatchLimits, { undoHoldsLocks: false }), 80);
  assert.equal(lockCapMs(defaultBatchLimits, { undoHoldsLocks: true }), 50);
  assert.equal(limitsUnderCap(defaultBatchLimits, 80).targetLockMs, 40, 'PostgreSQL: the default target fits under its cap');
  assert.equal(limitsUnderCap(defaultBatchLimits, 50).targetLockMs, 30, 'MariaDB: batches aim lower, so the cap ends only outliers');
  assert.equal(limitsUnderCap(defaultBatchLimits, 50).maxLockMs, 100);
});
