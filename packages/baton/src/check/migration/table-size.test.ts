import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSize, liveFigures } from './table-size.js';

const table = (rowEstimate: number, totalBytes: number) => ({
  name: 'users',
  rowEstimate,
  totalBytes,
  columns: [],
  primaryKey: [],
  indexes: [],
  constraints: [],
});

test('sizes read as estimates: rows in k/M/G, bytes in 1024 units', () => {
  assert.equal(describeSize({ rowEstimate: 12, totalBytes: 16384 }), '~12 rows, 16 kB');
  assert.equal(describeSize({ rowEstimate: 1, totalBytes: 900 }), '~1 row, 900 bytes');
  assert.equal(describeSize({ rowEstimate: 48_200_000, totalBytes: 11 * 1024 ** 3 }), '~48 M rows, 11 GB');
  assert.equal(describeSize({ rowEstimate: 1_500, totalBytes: 1.5 * 1024 ** 2 }), '~1.5 k rows, 1.5 MB');
});

test('small needs both limits: rows and bytes (an unanalysed table estimates 0 rows)', () => {
  const limits = { rows: 10_000, bytes: 16 * 1024 * 1024 };
  assert.equal(liveFigures(table(12, 16384), limits).small, true);
  assert.equal(liveFigures(table(10_001, 16384), limits).small, false);
  assert.equal(liveFigures(table(0, 100 * 1024 ** 3), limits).small, false);
});
