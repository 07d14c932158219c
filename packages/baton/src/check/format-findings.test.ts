import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from './finding.js';
import { formatFindings } from './format-findings.js';
import { ruleCatalog } from './rule-catalog.js';

const findings: Finding[] = [
  {
    ruleId: 'rename-column',
    severity: 'error',
    message: 'renames column users.name to full_name',
    hint: 'use three releases',
    file: '/repo/migrations/0002_rename.sql',
    line: 2,
    column: 1,
  },
  {
    ruleId: 'single-replica',
    severity: 'warning',
    message: 'Deployment web runs 1 replica',
    hint: 'run 2',
    file: '/repo/k8s/app.yaml',
    line: 6,
  },
  {
    ruleId: 'drop-not-null',
    severity: 'info',
    message: 'drops NOT NULL',
    hint: 'read NULL-safely',
    file: '/repo/migrations/0002_rename.sql',
    line: 1,
    column: 1,
  },
];

test('text: grouped by file, sorted by line, with hints and a summary', { timeout: 30_000 }, () => {
  const text = formatFindings(findings, 'text');
  assert.equal(
    text,
    [
      '/repo/migrations/0002_rename.sql',
      '  1:1     info    drop-not-null  drops NOT NULL',
      '                  hint: read NULL-safely',
      '  2:1     error   rename-column  renames column users.name to full_name',
      '                  hint: use three releases',
      '',
      '/repo/k8s/app.yaml',
      '  6:1     warning single-replica  Deployment web runs 1 replica',
      '                  hint: run 2',
      '',
      '3 problems (1 error, 1 warning, 1 info)',
      '',
    ].join('\n'),
  );
  assert.equal(formatFindings([], 'text'), 'No problems found.\n');
  const relative = formatFindings(findings, 'text', { root: '/repo' });
  assert.match(relative, /^migrations\/0002_rename\.sql\n/);
  assert.match(relative, /\nk8s\/app\.yaml\n/);
  assert.match(formatFindings(findings, 'text', { root: '/elsewhere' }), /^\/repo\/migrations\/0002_rename\.sql\n/);
});

test('json: findings and counts', { timeout: 30_000 }, () => {
  const parsed = JSON.parse(formatFindings(findings, 'json')) as { findings: Finding[]; summary: Record<string, number> };
  assert.deepEqual(parsed.findings, findings);
  assert.deepEqual(parsed.summary, { error: 1, warning: 1, info: 1 });
});

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } };
  }[];
}

test('sarif: 2.1.0 with every rule described and results located relative to the root', { timeout: 30_000 }, () => {
  const log = JSON.parse(formatFindings(findings, 'sarif', { root: '/repo' })) as {
    version: string;
    $schema: string;
    runs: { tool: { driver: { name: string; rules: SarifRule[] } }; results: SarifResult[] }[];
  };
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.ok(run !== undefined);
  assert.equal(run.tool.driver.name, 'baton');
  const ids = run.tool.driver.rules.map((r) => r.id);
  assert.deepEqual(
    ids,
    ruleCatalog().map((r) => r.id),
  );
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.shortDescription.text.length > 0 && rule.help.text.length > 0, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  assert.deepEqual(
    run.results.map((r) => [
      r.ruleId,
      r.level,
      r.locations[0]?.physicalLocation.artifactLocation.uri,
      r.locations[0]?.physicalLocation.region.startLine,
    ]),
    [
      ['rename-column', 'error', 'migrations/0002_rename.sql', 2],
      ['single-replica', 'warning', 'k8s/app.yaml', 6],
      ['drop-not-null', 'note', 'migrations/0002_rename.sql', 1],
    ],
  );
  for (const result of run.results) {
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId, 'ruleIndex points at the rule');
    assert.equal(result.locations[0]?.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  }
  assert.match(run.results[0]?.message.text ?? '', /users\.name.*Fix: use three releases/);
});

test('a --database finding carries its live figures in json and in the SARIF result properties', () => {
  const live = { table: 'users', rowEstimate: 12, totalBytes: 16384, small: true };
  const sized: Finding[] = [
    { ruleId: 'create-index-concurrently', severity: 'info', message: 'm', hint: 'h', file: '/repo/m/0001_i.sql', line: 2, live },
  ];
  const json = JSON.parse(formatFindings(sized, 'json')) as { findings: Finding[] };
  assert.deepEqual(json.findings[0]?.live, live);
  const sarif = JSON.parse(formatFindings([...sized, ...findings], 'sarif', { root: '/repo' })) as {
    runs: { results: { properties?: { live?: unknown } }[] }[];
  };
  assert.deepEqual(
    sarif.runs[0]?.results.map((r) => r.properties?.live),
    [live, undefined, undefined, undefined],
  );
});
