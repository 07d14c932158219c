import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GoSchema } from './go-schema.js';
import { spewGoValue } from './go-spew-format.js';

const schema: GoSchema = {
  root: 't.Root',
  oldestMinor: 30,
  newestMinor: 32,
  types: {
    't.Root': {
      go: 'v1.Root',
      kind: 'struct',
      fields: [
        { name: 'Name', json: 'name', type: 'string' },
        { name: 'Count', json: 'count', type: '*int32' },
        { name: 'Items', json: 'items', type: '[]t.Item' },
        { name: 'Labels', json: 'labels', type: 'map[string]string' },
        { name: 'Proto', json: 'proto', type: 't.Protocol' },
        { name: 'Inline', json: '', type: 't.Item', inline: true },
        { name: 'New', json: 'new', type: 'bool', since: 32 },
      ],
    },
    't.Item': { go: 'v1.Item', kind: 'struct', fields: [{ name: 'Port', json: 'port', type: 'int64' }] },
    't.Protocol': { go: 'v1.Protocol', kind: 'string' },
  },
};

test('zero values, nil pointers/slices/maps and types print as go-spew %#v prints them', () => {
  assert.equal(
    spewGoValue(schema, 32, {}).text,
    '(v1.Root){Name:(string) Count:(*int32)<nil> Items:([]v1.Item)<nil> Labels:(map[string]string)<nil> Proto:(v1.Protocol) Inline:(v1.Item){Port:(int64)0} New:(bool)false}',
  );
});

test('set values: no types inside slices and maps, keys in byte order, empty collections are nil', () => {
  const v = { name: 'a b', count: 3, items: [{ port: 80 }, {}], labels: { b: '2', B: '1', é: '3' }, proto: 'TCP', port: 9 };
  assert.equal(
    spewGoValue(schema, 31, v).text,
    '(v1.Root){Name:(string)a b Count:(*int32)3 Items:([]v1.Item)[{Port:(int64)80} {Port:(int64)0}] Labels:(map[string]string)map[B:1 b:2 é:3] Proto:(v1.Protocol)TCP Inline:(v1.Item){Port:(int64)9}}',
  );
  // UTF-8 byte order puts U+FF5E before U+1F600; JS's UTF-16 order would not.
  assert.match(spewGoValue(schema, 32, { labels: { '\u{1F600}': 'y', '\uFF5E': 'x' } }).text, /map\[\uFF5E:x \u{1F600}:y\]/u);
  assert.match(spewGoValue(schema, 32, { items: [], labels: {} }).text, /Items:\(\[\]v1\.Item\)<nil> Labels:\(map\[string\]string\)<nil>/);
});
