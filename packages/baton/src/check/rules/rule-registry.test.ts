import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { manifestRules } from './manifest-rules.js';
import { migrationRules } from './migration-rules.js';

// Files in the rule folders that are test support or shared helpers, not rules.
const helpers = new Set(['rule-examples.js', 'manifest-examples.js']);

async function ruleFiles(folder: string): Promise<{ rules: string[]; tests: Set<string> }> {
  const names = await readdir(fileURLToPath(new URL(`./${folder}/`, import.meta.url)));
  return {
    rules: names.filter((n) => n.endsWith('.js') && !n.endsWith('.test.js') && !helpers.has(n)),
    tests: new Set(names.filter((n) => n.endsWith('.test.js'))),
  };
}

test('every rule file is registered once and has a test beside it', { timeout: 30_000 }, async () => {
  for (const [folder, registry] of [
    ['migration', migrationRules],
    ['manifest', manifestRules],
  ] as const) {
    const { rules, tests } = await ruleFiles(folder);
    assert.equal(rules.length, Object.keys(registry).length, `${folder}: one registry entry per rule file`);
    assert.equal(new Set(Object.values(registry)).size, rules.length, `${folder}: no rule registered twice`);
    for (const file of rules) assert.ok(tests.has(file.replace(/\.js$/, '.test.js')), `${folder}/${file} has no test`);
  }
});

test('rule ids are unique across migration and manifest rules, and kebab-case', { timeout: 30_000 }, () => {
  const ids = [...Object.keys(migrationRules), ...Object.keys(manifestRules)];
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
});
