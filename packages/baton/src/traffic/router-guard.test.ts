import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import { cookieRegex, parseCookieRegex } from './cookie-regex.js';
import { checkOwnership, checkWeight } from './router-guard.js';

const route = (labels: Record<string, string> | undefined, managedFields: unknown[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}), managedFields },
});

test('weights: 0..100 accepted, anything else refused', () => {
  for (const w of [0, 0.5, 50, 100]) assert.doesNotThrow(() => checkWeight(w));
  for (const w of [-0.1, 100.1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => checkWeight(w), { code: 'TRAFFIC_WEIGHT' });
});

test('ownership: absent or baton-managed passes; unlabelled or another manager owning traffic fields is refused unless adopt', () => {
  const o = { adopt: false, fieldManager: 'baton', trafficFields: ['f:rules'] };
  assert.doesNotThrow(() => checkOwnership(undefined, o));
  assert.doesNotThrow(() =>
    checkOwnership(
      route({ 'app.kubernetes.io/managed-by': 'baton' }, [{ manager: 'baton', fieldsV1: { 'f:spec': { 'f:rules': {} } } }]),
      o,
    ),
  );
  assert.throws(() => checkOwnership(route(undefined), o), /not managed by baton \(label app.kubernetes.io\/managed-by=\(none\)\)/);
  assert.throws(() => checkOwnership(route({ 'app.kubernetes.io/managed-by': 'helm' }), o), { code: 'TRAFFIC_NOT_MANAGED' });
  const contested = route({ 'app.kubernetes.io/managed-by': 'baton' }, [{ manager: 'flagger', fieldsV1: { 'f:spec': { 'f:rules': {} } } }]);
  assert.throws(() => checkOwnership(contested, o), /field manager flagger owns f:rules/);
  // Another manager owning only labels is no conflict.
  assert.doesNotThrow(() =>
    checkOwnership(
      route({ 'app.kubernetes.io/managed-by': 'baton' }, [{ manager: 'kubectl', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }]),
      o,
    ),
  );
  assert.doesNotThrow(() => checkOwnership(contested, { ...o, adopt: true }));
});

test('cookie regex matches NAME=always anywhere in the Cookie header and round-trips', () => {
  const re = new RegExp(`^${cookieRegex('beta.user')}$`);
  for (const yes of ['beta.user=always', 'a=1; beta.user=always', 'beta.user=always; b=2', 'a=1;beta.user=always;b=2'])
    assert.ok(re.test(yes), yes);
  for (const no of ['beta.user=never', 'xbeta.user=always', 'betaxuser=always', 'beta.user=alwaysx', '']) assert.ok(!re.test(no), no);
  assert.equal(parseCookieRegex(cookieRegex('beta.user')), 'beta.user');
  assert.equal(parseCookieRegex('^foo$'), undefined);
});
