// The README's promise, run as written: its set-up block names two commands, the first runs the
// demo on the embedded default and the second runs every test. A README command that silently
// did nothing once went unnoticed; this test is what notices now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertOutputKind } from './testing/output-schemas.js';
import { runProcess } from './testing/run-process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The commands of the README's "two commands" block, comments stripped. */
function setupCommands(): string[] {
  const section = readme.split(/^## /m).find((s) => /^Set-up/i.test(s));
  assert.ok(section, 'README has a "## Set-up" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block?.[1], 'the set-up section has a sh block');
  return block[1]
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

const run = (command: string, args: string[]) => runProcess(command, args, { cwd: root, env: { ...process.env, CI: 'true' } });

test('the README names exactly two set-up commands: the demo and the tests', () => {
  assert.deepEqual(setupCommands(), ['npm ci && npm run demo', 'npm test']);
  const ci = readFileSync(join(root, '.ci/run'), 'utf8');
  assert.match(ci, /^npm test$/m, ".ci/run runs the README's test command as written");
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  // `npm run demo` must start the CLI's entry point, not a module that only exports functions.
  assert.match(scripts.demo ?? '', /bin\/baton\.js demo$/);
});

test('the README refers only to files that are in the repository', () => {
  const paths = new Set<string>();
  for (const match of readme.matchAll(/`((?:packages|docs|examples|scripts|config|bench|\.ci)\/[^`\s]*)`/g)) paths.add(match[1]!);
  for (const match of readme.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)) paths.add(match[1]!);
  assert.ok(paths.size > 5, `found ${paths.size} file references`);
  const missing = [...paths].filter((p) => !existsSync(join(root, p.replace(/[#?].*$/, ''))));
  assert.deepEqual(missing, [], 'README names files that do not exist in the repository');
  assert.doesNotMatch(readme, /`(\.\.\/)?shared\//, 'shared/ is not part of a clone');
});

test("`npm run demo -- --output json`, the README's first command in JSON mode, upgrades with nothing dropped", {
  timeout: 240_000,
}, async () => {
  const { code, stdout, stderr } = await run('npm', ['run', '--silent', 'demo', '--', '--output', 'json']);
  assert.equal(code, 0, `exit ${code}\n${stderr.slice(-2000)}`);
  const result = JSON.parse(stdout) as {
    status: string;
    summary: { rows: Array<{ metric: string; raw?: number; of?: number; measured: boolean }> };
  };
  assertOutputKind(result, 'RunOutcome');
  assert.equal(result.status, 'succeeded');
  const row = (metric: string) => {
    const found = result.summary.rows.find((r) => r.metric === metric);
    assert.ok(found, `summary has ${metric}`);
    assert.equal(found.measured, true, `${metric} was measured`);
    return found;
  };
  const failed = row('failed-requests');
  assert.equal(failed.raw, 0, 'no failed request');
  assert.ok((failed.of ?? 0) > 1000, `the probe sent traffic (${failed.of} requests)`);
  assert.equal(row('data-loss').raw, 0, 'no lost write');
  assert.equal(row('streams-cut').raw, 0, 'no download cut');
});
