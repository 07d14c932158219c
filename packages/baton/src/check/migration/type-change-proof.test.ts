import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typeChangeNeedsNoRewrite } from './type-change-proof.js';

test('varchar growth, varchar to text, text to unbounded varchar, numeric precision growth need no rewrite', () => {
  // Left: format_type's spelling (the live schema); right: the parser's (the migration).
  assert.equal(typeChangeNeedsNoRewrite('character varying(20)', 'varchar(50)'), true);
  assert.equal(typeChangeNeedsNoRewrite('character varying(20)', 'varchar(20)'), true);
  assert.equal(typeChangeNeedsNoRewrite('character varying(20)', 'text'), true);
  assert.equal(typeChangeNeedsNoRewrite('character varying', 'text'), true);
  assert.equal(typeChangeNeedsNoRewrite('text', 'varchar'), true);
  assert.equal(typeChangeNeedsNoRewrite('numeric(6,2)', 'numeric(10,2)'), true);
  assert.equal(typeChangeNeedsNoRewrite('numeric(6,2)', 'numeric'), true);
});

test('narrowing, limits on unbounded text, scale changes and other types are not proven', () => {
  assert.equal(typeChangeNeedsNoRewrite('character varying(20)', 'varchar(10)'), false);
  assert.equal(typeChangeNeedsNoRewrite('text', 'varchar(50)'), false);
  assert.equal(typeChangeNeedsNoRewrite('character varying', 'varchar(50)'), false);
  assert.equal(typeChangeNeedsNoRewrite('numeric(6,2)', 'numeric(10,3)'), false);
  assert.equal(typeChangeNeedsNoRewrite('numeric', 'numeric(10,2)'), false);
  assert.equal(typeChangeNeedsNoRewrite('integer', 'int8'), false);
  assert.equal(typeChangeNeedsNoRewrite('character(3)', 'text'), false);
  assert.equal(typeChangeNeedsNoRewrite('timestamp without time zone', 'timestamptz'), false);
});
