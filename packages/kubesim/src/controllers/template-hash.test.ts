import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { computeTemplateHash, equalIgnoreHash } from './template-hash.js';

const t = (image: string, extra: Record<string, unknown> = {}): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web', ...(extra['labels'] as Record<string, string> | undefined) } },
  spec: { containers: [{ name: 'main', image, ...(extra['container'] as object | undefined) }] },
});

test('equalIgnoreHash ignores the hash label, empty-vs-absent and unknown fields, nothing else', () => {
  assert.ok(equalIgnoreHash(t('a'), t('a', { labels: { 'pod-template-hash': 'xyz' } })));
  assert.ok(equalIgnoreHash(t('a'), t('a', { container: { env: [], ports: undefined } })));
  assert.ok(equalIgnoreHash(t('a'), t('a', { container: { someFutureField: true } })));
  assert.ok(!equalIgnoreHash(t('a'), t('b')));
  assert.ok(!equalIgnoreHash(t('a'), t('a', { labels: { tier: 'x' } })));
  assert.ok(!equalIgnoreHash(t('a'), t('a', { container: { args: ['--x'] } })));
});

test('the pod-template-hash is stable, vowel-free, ignores key order, and moves with collisionCount', () => {
  const h = computeTemplateHash(t('a'), undefined);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(computeTemplateHash(t('a'), undefined), h);
  const reordered: V1PodTemplateSpec = { spec: { containers: [{ image: 'a', name: 'main' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computeTemplateHash(reordered, undefined), h);
  assert.equal(computeTemplateHash(t('a', { labels: { 'pod-template-hash': h } }), undefined), h, 'the hash label itself is not hashed');
  assert.notEqual(computeTemplateHash(t('b'), undefined), h);
  assert.notEqual(computeTemplateHash(t('a'), 1), h);
  assert.notEqual(computeTemplateHash(t('a'), 1), computeTemplateHash(t('a'), 2));
});
