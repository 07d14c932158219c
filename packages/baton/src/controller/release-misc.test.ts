import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { microTime } from './micro-time.js';
import { cliMessage, hashOf, orderOf } from './reconciler.js';
import { kustomizeFiles } from './install-manifests.js';
import { inputConfigMaps } from './release-inputs.js';
import { statusFromJournal } from './run-status.js';
import type { JournalEntry } from '../engine/journal.js';

test('MicroTime has exactly six fractional digits', () => {
  assert.equal(microTime(Date.UTC(2026, 11, 2, 1, 2, 3, 45)), '2026-12-02T01:02:03.045000Z');
});

test('config/ is exactly what `baton install --write` generates (no drift)', async () => {
  const config = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../config');
  for (const [file, text] of Object.entries(kustomizeFiles((o) => stringify(o)))) {
    assert.equal(
      await readFile(join(config, file), 'utf8'),
      text,
      `config/${file} is stale: run node packages/baton/bin/baton.js install --write config`,
    );
  }
});

test("spec errors read as the CLI's, located in spec.upgrade", () => {
  const path = '/tmp/baton-release-x/d0/baton.yaml';
  const message = `baton.yaml is not valid (1 problem):\n  ${path}:6:8 image.ref: pinned please`;
  assert.equal(cliMessage(message, path), 'baton.yaml is not valid (1 problem):\n  spec.upgrade.image.ref: pinned please');
});

test('spec hash ignores key order; inputs are named by content', () => {
  assert.equal(hashOf({ a: 1, b: { c: 2, d: 3 } }), hashOf({ b: { d: 3, c: 2 }, a: 1 }));
  const one = inputConfigMaps('demo', 'default', { 'k8s/a.yaml': 'x: 1' });
  const two = inputConfigMaps('demo', 'default', { 'k8s/a.yaml': 'x: 1' });
  const three = inputConfigMaps('demo', 'default', { 'k8s/a.yaml': 'x: 2' });
  assert.equal(one.refs[0]!.configMap, two.refs[0]!.configMap);
  assert.notEqual(one.refs[0]!.configMap, three.refs[0]!.configMap);
  assert.equal(one.objects[0]!.immutable, true);
  const big = inputConfigMaps('demo', 'default', { a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) });
  assert.equal(big.refs.length, 2, 'split across ConfigMaps under the object size limit');
});

test('status from a journal: phase, step states, point of no return, gate verdicts', () => {
  const steps = [
    { id: 'rollout:web', kind: 'rollout', title: 'roll', reversible: true, params: {} },
    { id: 'gate:probe', kind: 'gate', title: 'judge', reversible: true, params: {} },
    { id: 'contract', kind: 'migrate', title: 'drop', reversible: false, params: {} },
  ];
  const e = (at: number, rest: Record<string, unknown>) => ({ at, runId: 'r', ...rest }) as JournalEntry;
  const entries = [
    e(1, {
      type: 'run-started',
      app: 'web',
      namespace: 'default',
      steps,
      meta: { plan: { from: { version: 'v1' }, to: { version: 'v2' }, strategy: 'rolling' } },
    }),
    e(2, { type: 'step-started', stepId: 'rollout:web' }),
    e(3, { type: 'step-finished', stepId: 'rollout:web', result: { kind: 'done' } }),
    e(4, { type: 'step-started', stepId: 'gate:probe' }),
    e(5, { type: 'step-finished', stepId: 'gate:probe', result: { kind: 'done', summary: '0 failed' } }),
    e(6, { type: 'step-started', stepId: 'contract' }),
  ];
  const s = statusFromJournal(entries);
  assert.equal(s.phase, 'Running');
  assert.deepEqual(
    s.steps!.map((x) => x.state),
    ['done', 'done', 'running'],
  );
  assert.equal(s.currentStep?.id, 'contract');
  assert.deepEqual(s.pointOfNoReturn, { reached: false });
  assert.deepEqual(
    s.gates!.map((g) => [g.step, g.verdict, g.reason]),
    [['gate:probe', 'pass', '0 failed']],
  );
  assert.equal(s.fromVersion, 'v1');
  const done = statusFromJournal([
    ...entries,
    e(7, { type: 'step-finished', stepId: 'contract', result: { kind: 'done' } }),
    e(8, { type: 'run-finished', status: 'succeeded' }),
  ]);
  assert.equal(done.phase, 'Succeeded');
  assert.deepEqual(done.pointOfNoReturn, { reached: true, step: 'contract' });
  assert.equal(done.currentStep, undefined);
});

test('creation order: by time, then by name for Releases created in the same second, whatever the timestamp type', () => {
  const r = (name: string, creationTimestamp: string) =>
    ({ apiVersion: 'baton.dev/v1alpha1', kind: 'Release', metadata: { name, creationTimestamp } }) as Parameters<typeof orderOf>[0];
  assert.ok(orderOf(r('demo-v2', '2026-12-02T13:58:30Z')) < orderOf(r('demo-v3', '2026-12-02T13:58:30Z')));
  assert.ok(orderOf(r('demo-z', '2026-12-02T13:58:29Z')) < orderOf(r('demo-a', '2026-12-02T13:58:30Z')));
  // A Date stringified ("Wed Dec 02 2026 ...") used to sort after every ISO string.
  assert.ok(orderOf(r('demo-v2', String(new Date('2026-12-02T13:58:30Z')))) < orderOf(r('demo-v3', '2026-12-02T13:58:30Z')));
});
