import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prober } from './prober.js';
import type { ActionResult } from './handler-action.js';

test('thresholds: readiness flips after successThreshold / failureThreshold in a row', { timeout: 10_000 }, async () => {
  const script: ActionResult['kind'][] = [
    'success',
    'success',
    'failure',
    'failure',
    'success',
    'failure',
    'failure',
    'success',
    'success',
  ];
  const results: boolean[] = [];
  let failures = 0;
  let i = 0;
  await new Promise<void>((done) => {
    const p = new Prober({
      kind: 'readiness',
      probe: { periodSeconds: 0.01, successThreshold: 2, failureThreshold: 2 },
      target: () => ({ podIP: '', container: { name: 'c' }, env: {}, cwd: '/' }),
      onResult: (ok) => results.push(ok),
      onFailure: () => {
        failures++;
      },
      run: async () => {
        const k = script[i++];
        if (k === undefined) {
          p.stop();
          done();
          return { kind: 'success' };
        }
        return k === 'success' ? { kind: 'success' } : { kind: 'failure', message: 'x' };
      },
    });
    p.start();
  });
  assert.deepEqual(results, [true, false, true]);
  assert.equal(failures, 4);
});
