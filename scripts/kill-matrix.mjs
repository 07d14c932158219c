#!/usr/bin/env node
// The full kill matrix (issue 15), on demand: `npm run kill-matrix [-- strategy...]`.
// For each strategy: `baton plan -o json` and an uninterrupted upgrade, then one SIGKILL at every
// step boundary of the plan and one in the middle of every step that took >= 1 s uninterrupted,
// each followed by `baton resume`, compared with the uninterrupted run (packages/baton/src/
// upgrade/kill-matrix.ts). Needs a build (npm run build) and PostgreSQL on 127.0.0.1:5432.
// `node scripts/kill-matrix.mjs rolling --only=release:record` runs the points of one step.
// Prints one line per case and the totals; exits 1 when any case failed.
import { KillMatrix, describePoint, matrixStrategies } from '../packages/baton/dist/upgrade/kill-matrix.js';
import { startTestCluster } from '../packages/baton/dist/testing/demo-cluster.js';

// `--only=STEP` keeps the points at that step (e.g. to re-run one that failed).
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const strategies = wanted.length > 0 ? matrixStrategies.filter((s) => wanted.includes(s)) : matrixStrategies;
const started = Date.now();
const t = await startTestCluster();
let points = 0;
let failures = 0;
try {
  const matrix = await KillMatrix.start(t);
  for (const strategy of strategies) {
    const t0 = Date.now();
    const baseline = await matrix.run(strategy, undefined);
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`${strategy}: uninterrupted ${baseline.state.status} in ${seconds(Date.now() - t0)}; plan ${baseline.planned?.join(', ')}`);
    if (baseline.problems.length > 0) console.log(`  uninterrupted run: ${baseline.problems.join('; ')}`);
    const ids = baseline.planned && baseline.planned.length > 0 ? baseline.planned : baseline.steps.map((s) => s.id);
    const kills = [];
    for (const id of ids.filter((i) => only === undefined || i === only)) {
      kills.push({ stepId: id, entry: 'step-finished', delayMs: 0 });
      const ms = baseline.steps.find((s) => s.id === id)?.ms ?? 0;
      if (ms >= 1000) kills.push({ stepId: id, entry: 'step-started', delayMs: Math.round(ms / 2) });
    }
    for (const point of kills) {
      const c0 = Date.now();
      const result = await matrix.run(strategy, point, baseline);
      points += 1;
      if (result.problems.length > 0) failures += 1;
      console.log(
        `  ${result.problems.length === 0 ? 'pass' : 'FAIL'} ${describePoint(point)} (${seconds(Date.now() - c0)})${result.problems.length > 0 ? `: ${result.problems.join('; ')}` : ''}`,
      );
    }
  }
} finally {
  await t.stop();
}
console.log(
  `kill matrix: ${points} points, ${points - failures} passed, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exitCode = failures > 0 ? 1 : 0;
