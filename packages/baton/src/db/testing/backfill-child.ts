// A process that runs a slow backfill and reports each committed batch on stdout, so a test can
// SIGKILL it mid-way. Not part of baton; only db tests spawn it.
import { migrate } from '../migrations/migrate.js';
import { keywordAnalyzer } from './keyword-analyzer.js';

const [url, dir] = process.argv.slice(2);
if (!url || !dir) throw new Error('usage: backfill-child <url> <dir>');
await migrate({
  url,
  dir,
  phase: 'backfill',
  analyze: keywordAnalyzer,
  // A fixed batch size, so the parent can count batches.
  batchLimits: { targetLockMs: 40, maxLockMs: 100, min: 100, max: 100 },
  // The caller's brake, slowed down so the parent has time to kill us between batches.
  throttle: (() => {
    let ask = 0;
    return async () => (ask++ % 2 === 0 ? 40 : 0);
  })(),
  onBackfill: (tick) => process.stdout.write(`${JSON.stringify(tick)}\n`),
});
