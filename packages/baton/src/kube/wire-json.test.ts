import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toWireJson } from './wire-json.js';

test('Dates from the typed client go back to the strings the API server writes', () => {
  const at = Date.parse('2026-12-02T13:58:30.601Z');
  const object = {
    metadata: { name: 'x', creationTimestamp: new Date(at), managedFields: [{ time: new Date(at) }], labels: { a: 'b' }, gone: undefined },
    spec: { renewTime: new Date(at), acquireTime: new Date(at), replicas: 2, paused: false, list: [1, 'two', null] },
  };
  assert.deepEqual(toWireJson(object), {
    metadata: {
      name: 'x',
      creationTimestamp: '2026-12-02T13:58:30Z',
      managedFields: [{ time: '2026-12-02T13:58:30Z' }],
      labels: { a: 'b' },
    },
    spec: {
      renewTime: '2026-12-02T13:58:30.601000Z',
      acquireTime: '2026-12-02T13:58:30.601000Z',
      replicas: 2,
      paused: false,
      list: [1, 'two', null],
    },
  });
});

test('strings stay as they are; creation order compares as the wire format sorts', () => {
  const wire = { metadata: { creationTimestamp: '2026-12-02T13:58:30Z' } };
  assert.deepEqual(toWireJson(wire), wire);
  const a = toWireJson({ t: new Date('2026-12-02T13:58:30Z') }).t;
  const b = '2026-12-02T13:58:31Z';
  assert.ok(String(a) < b, `${String(a)} sorts before ${b}`);
});
