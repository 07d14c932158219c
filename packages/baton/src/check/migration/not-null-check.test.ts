import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notNullColumnOfCheck } from './not-null-check.js';

test('a live CHECK definition proves a column NOT NULL only in the exact form column IS NOT NULL', () => {
  assert.equal(notNullColumnOfCheck('CHECK ((email IS NOT NULL))'), 'email');
  assert.equal(notNullColumnOfCheck('CHECK ((email IS NOT NULL)) NOT VALID'), 'email');
  assert.equal(notNullColumnOfCheck('CHECK (("E-mail" IS NOT NULL))'), 'E-mail');
  assert.equal(notNullColumnOfCheck('CHECK (((email IS NOT NULL) AND (id > 0)))'), undefined);
  assert.equal(notNullColumnOfCheck('CHECK ((email IS NULL))'), undefined);
  assert.equal(notNullColumnOfCheck('CHECK ((NOT (email IS NULL)))'), undefined);
  assert.equal(notNullColumnOfCheck('FOREIGN KEY (a) REFERENCES t(id)'), undefined);
  assert.equal(notNullColumnOfCheck('CHECK (not sql at all'), undefined);
});
