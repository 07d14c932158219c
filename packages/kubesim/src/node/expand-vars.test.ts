import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVars } from './expand-vars.js';

const vars: Record<string, string> = { A: 'a', B: 'bee' };
const look = (n: string): string | undefined => vars[n];

test('expands known references and keeps unknown ones', () => {
  assert.equal(expandVars('x$(A)-$(B)-$(C)', look), 'xa-bee-$(C)');
});
test('$$ escapes', () => {
  assert.equal(expandVars('$$(A) $$ $A', look), '$(A) $ $A');
});
test('unterminated reference is kept', () => {
  assert.equal(expandVars('a$(A', look), 'a$(A');
  assert.equal(expandVars('end$', look), 'end$');
});
