import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toStructural } from './structural-schema.js';
import { releaseCrd, upgradeSpecSchema } from './release-crd.js';

test('every node of the generated schema is structural (a type, or an explicit x-kubernetes escape)', () => {
  const problems: string[] = [];
  const walk = (node: Record<string, unknown>, path: string): void => {
    const escaped = node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
    if (typeof node.type !== 'string' && !escaped) problems.push(`${path}: no type`);
    for (const banned of ['anyOf', 'oneOf', 'allOf', '$ref', 'const', 'default', '$schema', 'propertyNames'])
      if (banned in node) problems.push(`${path}: ${banned}`);
    if (node.additionalProperties !== undefined && node.properties !== undefined)
      problems.push(`${path}: properties and additionalProperties`);
    if (typeof node.additionalProperties === 'boolean') problems.push(`${path}: additionalProperties boolean`);
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>))
      walk(child, `${path}.${key}`);
    if (typeof node.items === 'object' && node.items !== null) walk(node.items as Record<string, unknown>, `${path}[]`);
    if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null)
      walk(node.additionalProperties as Record<string, unknown>, `${path}{}`);
  };
  const crd = releaseCrd() as unknown as { spec: { versions: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }> } };
  walk(crd.spec.versions[0]!.schema.openAPIV3Schema, '');
  assert.deepEqual(problems, []);
});

test('the spec schema keeps what Kubernetes can check: enums, required, int-or-string, RE2 patterns', () => {
  const schema = upgradeSpecSchema() as {
    properties: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }>;
    required: string[];
  };
  assert.deepEqual(schema.required.sort(), ['apiVersion', 'app', 'image', 'kind', 'manifests']);
  assert.deepEqual(schema.properties.kind!.enum, ['Upgrade']);
  assert.equal(schema.properties.app!.pattern, '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
  const strategy = schema.properties.strategy!.properties!;
  assert.ok((strategy.kind!.enum as string[]).includes('blue-green'));
  const rolling = (strategy.rolling as { properties: Record<string, Record<string, unknown>> }).properties;
  assert.equal(rolling.maxSurge!['x-kubernetes-int-or-string'], true);
});

test('conversions: const, exclusiveMinimum, unions of objects, lookahead patterns, records', () => {
  assert.deepEqual(toStructural({ type: 'string', const: 'x' }), { type: 'string', enum: ['x'] });
  assert.deepEqual(toStructural({ type: 'number', exclusiveMinimum: 0 }), { type: 'number', minimum: 0, exclusiveMinimum: true });
  assert.deepEqual(toStructural({ type: 'string', pattern: '^(?!x).*$' }), { type: 'string' });
  assert.deepEqual(
    toStructural({
      anyOf: [
        { type: 'object', properties: { env: { type: 'string' } } },
        { type: 'object', properties: { value: { type: 'string' } } },
      ],
    }),
    { type: 'object', properties: { env: { type: 'string' }, value: { type: 'string' } } },
  );
  assert.deepEqual(toStructural({ type: 'object', additionalProperties: { type: 'string' }, propertyNames: { type: 'string' } }), {
    type: 'object',
    additionalProperties: { type: 'string' },
  });
  assert.deepEqual(toStructural({}), { 'x-kubernetes-preserve-unknown-fields': true });
});
