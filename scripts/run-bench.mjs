#!/usr/bin/env node
// Runs the benchmarks (packages/*/dist/bench/*.js) one after another; each prints its figures.
// Usage: npm run bench [-- substring-filter ...]. Benchmarks are never part of `npm test`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const benches = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'dist', 'bench');
  try {
    statSync(dir);
  } catch {
    continue;
  }
  for (const name of readdirSync(dir)) if (name.endsWith('.js')) benches.push(join(dir, name));
}
const selected = benches.filter((b) => filters.length === 0 || filters.some((f) => b.includes(f))).sort();
if (selected.length === 0) {
  console.error('run-bench: no benchmark matched');
  process.exit(1);
}
let failed = 0;
for (const bench of selected) {
  console.log(`\n=== ${bench.slice(root.length)}`);
  const result = spawnSync(process.execPath, [bench], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
