import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGc, parseDuration, type GcCandidate } from './gc-decide.js';

const now = 10_000_000;
const base: GcCandidate = {
  deployment: 'w-v1',
  release: 'v1',
  version: 'v1',
  inactiveSince: now - 7_200_000,
  selected: false,
  activeTasks: { kind: 'value', value: 0 },
};
const decide = (c: Partial<GcCandidate>) => decideGc([{ ...base, ...c }], { minAgeMs: 3_600_000, now })[0]!;

test('gc deletes only an idle release past its minimum age', () => {
  assert.equal(decide({}).action, 'delete');
  assert.deepEqual(decide({}).reasons, []);
});

test('gc keeps a release with tasks, a young one, an active one, and says every reason', () => {
  const busy = decide({ activeTasks: { kind: 'value', value: 2 } });
  assert.equal(busy.action, 'keep');
  assert.match(busy.reasons.join(), /2 active task/);
  const young = decide({ inactiveSince: now - 60_000, activeTasks: { kind: 'value', value: 1 } });
  assert.equal(young.reasons.length, 2);
  assert.match(young.reasons[0]!, /inactive for 60s, minimum age 3600s/);
  assert.equal(decide({ selected: true }).action, 'keep');
});

test('gc keeps a release when the metric cannot be trusted or the age is unknown (never a false delete)', () => {
  assert.equal(decide({ activeTasks: { kind: 'unknown', reason: 'no data' } }).action, 'keep');
  assert.equal(decide({ inactiveSince: undefined }).action, 'keep');
});

test('parseDuration', () => {
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.throws(() => parseDuration('1 hour'));
});

test('gc by connections alone (no Prometheus): 0 on every pod deletes; open or unknown connections keep', () => {
  const byConnections = (connections: GcCandidate['connections']) =>
    decideGc(
      [
        {
          deployment: 'w-v1',
          release: 'v1',
          version: 'v1',
          inactiveSince: now - 7_200_000,
          selected: false,
          ...(connections ? { connections } : {}),
        },
      ],
      { minAgeMs: 3_600_000, now },
    )[0]!;
  const idle = byConnections({ kind: 'value', value: 0 });
  assert.equal(idle.action, 'delete');
  assert.equal(idle.activeTasks, null, 'no task query configured');
  assert.equal(idle.connections, 0);
  const open = byConnections({ kind: 'value', value: 3 });
  assert.equal(open.action, 'keep');
  assert.deepEqual(open.reasons, ['3 open connection(s)']);
  const silent = byConnections({ kind: 'unknown', reason: 'pod w-v1-x did not answer' });
  assert.equal(silent.action, 'keep', 'a pod that does not answer makes the count unknown, never 0');
  assert.equal(silent.connections, null);
  assert.match(silent.reasons.join(), /connections unknown: pod w-v1-x did not answer/);
  const none = byConnections(undefined);
  assert.equal(none.action, 'keep', 'no evidence at all is no proof of idleness');
  assert.match(none.reasons.join(), /no evidence configured/);
});

test('gc with both sources deletes only when both read 0', () => {
  assert.equal(decide({ connections: { kind: 'value', value: 0 } }).action, 'delete');
  const streams = decide({ connections: { kind: 'value', value: 1 } });
  assert.equal(streams.action, 'keep', 'no task, but a listener still connected');
  assert.deepEqual(streams.reasons, ['1 open connection(s)']);
  const both = decide({ activeTasks: { kind: 'unknown', reason: 'no data' }, connections: { kind: 'value', value: 0 } });
  assert.equal(both.action, 'keep', 'connections at 0 do not outvote an unknown task count');
});
