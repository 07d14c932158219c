import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './kube-object.js';
import { servicesSelectingNoTemplate } from './service-selection.js';

const deployment = (labels: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, tier: 'front' } }, spec: { containers: [] } } },
  }) as KubeObject;
const service = (name: string, selector?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] },
  }) as KubeObject;

test('a Service selecting labels no pod template carries is named, with the labels the pods do carry', () => {
  const found = servicesSelectingNoTemplate([deployment({ app: 'web' }), service('web', { app: 'wbe' }), service('ok', { tier: 'front' })]);
  assert.deepEqual(found, [
    { service: 'web', selector: { app: 'wbe' }, workloads: [{ name: 'web', labels: { app: 'web', tier: 'front' } }] },
  ]);
});

test('every selector label must match: a subset of the template labels selects, a superset does not', () => {
  assert.deepEqual(servicesSelectingNoTemplate([deployment({ app: 'web' }), service('web', { app: 'web', tier: 'front' })]), []);
  assert.equal(servicesSelectingNoTemplate([deployment({ app: 'web' }), service('web', { app: 'web', color: 'blue' })]).length, 1);
});

test('no selector, or no workload in the manifests: nothing to judge', () => {
  assert.deepEqual(servicesSelectingNoTemplate([deployment({ app: 'web' }), service('external')]), []);
  assert.deepEqual(servicesSelectingNoTemplate([service('web', { app: 'elsewhere' })]), []);
});
