import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec } from './load-spec.js';
import { specJsonSchema } from './json-schema.js';
import { BatonError } from '../errors.js';

const valid = `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: shop
manifests: [k8s/]
image:
  ref: shop/web:1.4.2
`;

test('a minimal spec gets the documented defaults', () => {
  const { spec, manifestPaths } = parseSpec(valid, '/srv/app/baton.yaml');
  assert.equal(spec.namespace, 'default');
  assert.equal(spec.strategy.kind, 'rolling');
  assert.equal(spec.strategy.rolling.maxUnavailable, 0);
  assert.equal(spec.strategy.rolling.maxSurge, 1);
  assert.equal(spec.probe.rps, 200);
  assert.deepEqual(manifestPaths, ['/srv/app/k8s']);
});

function problemOf(text: string): string {
  try {
    parseSpec(text, '/srv/app/baton.yaml');
  } catch (error) {
    assert.ok(error instanceof BatonError);
    assert.equal(error.code, 'SPEC_INVALID');
    return error.message;
  }
  assert.fail('expected the spec to be rejected');
}

test('an unpinned image is refused with the line of image.ref', () => {
  const message = problemOf(valid.replace('shop/web:1.4.2', 'shop/web:latest'));
  assert.match(message, /baton\.yaml:6:\d+ image\.ref: .*:latest tag; pin a version/);
  assert.match(problemOf(valid.replace('shop/web:1.4.2', 'shop/web')), /has no tag/);
});

test('allowUnpinned lets an unpinned image through on purpose', () => {
  const { spec } = parseSpec(valid.replace('shop/web:1.4.2', 'shop/web:latest\n  allowUnpinned: true'), '/x/baton.yaml');
  assert.equal(spec.image.allowUnpinned, true);
});

test('unknown fields and wrong types name file:line and the field', () => {
  const message = problemOf(valid + 'strategy:\n  kind: sideways\n  rollin: {}\n');
  assert.match(message, /baton\.yaml:8:\d+ strategy\.kind: /);
  assert.match(message, /baton\.yaml:9:\d+ strategy: unknown field\(s\) "rollin"/);
});

test('a missing required field points at its parent', () => {
  const message = problemOf(valid.replace('manifests: [k8s/]\n', ''));
  assert.match(message, /manifests: required field is missing/);
});

test('YAML syntax errors carry line and column', () => {
  assert.throws(() => parseSpec('app: [unclosed\n', '/x/baton.yaml'), /baton\.yaml:\d+:\d+: YAML syntax error/);
});

test('the JSON Schema describes the fields', () => {
  const schema = specJsonSchema() as { properties: Record<string, { description?: string }> };
  assert.ok(schema.properties.image);
  assert.match(schema.properties.app!.description ?? '', /lock and history key/);
});
