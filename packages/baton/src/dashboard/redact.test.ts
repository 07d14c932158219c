import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactUrl } from './redact.js';

test('Secret data, credential fields and URL passwords are hidden; everything else is kept', () => {
  const out = redact({
    steps: [
      {
        params: {
          objects: [
            { kind: 'Secret', metadata: { name: 'db' }, data: { url: 'cG9zdGdyZXM=' }, stringData: { password: 'hunter2' } },
            { kind: 'ConfigMap', data: { mode: 'fast' } },
          ],
        },
      },
    ],
    apiToken: 'abc',
    reason: 'cannot reach postgres://app:hunter2@db:5432/app (timeout)',
    replicas: 3,
  });
  const text = JSON.stringify(out);
  assert.ok(!text.includes('hunter2') && !text.includes('cG9zdGdyZXM=') && !text.includes('"abc"'), text);
  assert.ok(text.includes('"mode":"fast"') && text.includes('"replicas":3') && text.includes('"name":"db"'));
  assert.equal(redactUrl('http://host/path?x=1'), 'http://host/path?x=1');
  assert.equal(redactUrl('mysql://root:pw@127.0.0.1/db'), 'mysql://root:(hidden)@127.0.0.1/db');
});
