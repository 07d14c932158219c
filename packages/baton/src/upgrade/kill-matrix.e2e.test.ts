import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../testing/demo-cluster.js';
import { describePoint, KillMatrix, type CaseResult, type KillPoint, type MatrixStrategy } from './kill-matrix.js';

/**
 * The kill matrix's fixed subset for CI (the whole matrix: `npm run kill-matrix`, see
 * docs/operations.md): per strategy, the uninterrupted upgrade, then baton SIGKILLed at one step
 * boundary and once inside a long step, resumed, and compared with it (end state, outcome, probe
 * with the gap marked and no failure outside it, report). The points include those that failed
 * before resume restarted the probe: at and before a gate, and before a backfill.
 */
const subset: Record<MatrixStrategy, KillPoint[]> = {
  // Mid-rollout, and right before the backfill (it must still run after the resume).
  rolling: [
    { stepId: 'rollout:demo', entry: 'step-started', delayMs: 1200 },
    { stepId: 'await:old-pods', entry: 'step-finished', delayMs: 0 },
  ],
  'blue-green': [
    { stepId: 'rollout:demo-blue', entry: 'step-started', delayMs: 1500 },
    { stepId: 'analysis:probe', entry: 'step-started', delayMs: 0 },
  ],
  // Inside the analysis (the gate judges the resumed probe's fresh traffic), and after the weight moved.
  canary: [
    { stepId: 'canary:1:analysis', entry: 'step-started', delayMs: 1500 },
    { stepId: 'canary:0:weight-50', entry: 'step-finished', delayMs: 0 },
  ],
  rainbow: [
    { stepId: 'rollout:demo-v2', entry: 'step-started', delayMs: 1200 },
    { stepId: 'analysis:probe', entry: 'step-started', delayMs: 0 },
  ],
  maintenance: [
    { stepId: 'migrate:backfill', entry: 'step-started', delayMs: 0 },
    { stepId: 'maintenance:new:demo', entry: 'step-started', delayMs: 800 },
  ],
};

describe('kill matrix: SIGKILL baton, resume, compare with the uninterrupted run (kubesim, PostgreSQL)', { timeout: 1_200_000 }, () => {
  let t: TestCluster;
  let matrix: KillMatrix;
  before(async () => {
    t = await startTestCluster();
    matrix = await KillMatrix.start(t);
  });
  after(async () => {
    await t?.stop();
  });

  for (const [strategy, points] of Object.entries(subset) as Array<[MatrixStrategy, KillPoint[]]>) {
    describe(strategy, () => {
      let baseline: CaseResult | undefined;
      test('uninterrupted', async () => {
        baseline = await matrix.run(strategy, undefined);
        assert.deepEqual(baseline.problems, []);
        assert.equal(baseline.state.status, 'succeeded');
        for (const p of points)
          assert.ok(baseline.planned?.includes(p.stepId), `the plan has ${p.stepId}: ${baseline.planned?.join(', ')}`);
      });
      for (const point of points) {
        test(`killed ${describePoint(point)}, resumed: same end state, probe gap marked, report`, async () => {
          assert.ok(baseline, 'the uninterrupted run ran first');
          const result = await matrix.run(strategy, point, baseline);
          assert.deepEqual(result.problems, []);
        });
      }
    });
  }
});
