/** A key comparison in SQL: `values[i]` of the key tuple feeds the i-th placeholder. */
export interface KeyComparison {
  sql: string;
  /** For each placeholder in order, the index of the key column whose value it takes. */
  valueIndexes: number[];
}

/** `>` (after a key) or `<=` (up to and including a key), lexicographic over the key columns. */
export type KeyComparisonOp = '>' | '<=';

/**
 * The row-value comparison `(a, b) > ($1, $2)`: PostgreSQL plans it as one index range.
 * Quoted columns and placeholders come from the dialect.
 */
export function rowValueComparison(
  columns: readonly string[],
  op: KeyComparisonOp,
  param: (n: number) => string,
  firstParam: number,
): KeyComparison {
  const valueIndexes = columns.map((_, i) => i);
  const params = valueIndexes.map((i) => param(firstParam + i));
  if (columns.length === 1) return { sql: `${columns[0]} ${op} ${params[0]}`, valueIndexes };
  return { sql: `(${columns.join(', ')}) ${op} (${params.join(', ')})`, valueIndexes };
}

/**
 * The same comparison spelled out, `(a > ? OR (a = ? AND b > ?))`: MariaDB's range optimizer
 * turns this into index ranges but scans the whole index for a row-value comparison (measured on
 * 10.11 with EXPLAIN: type ALL for `(a,b) > (?,?)`, type range for this form).
 */
export function expandedComparison(
  columns: readonly string[],
  op: KeyComparisonOp,
  param: (n: number) => string,
  firstParam: number,
): KeyComparison {
  const strict = op === '>' ? '>' : '<';
  const valueIndexes: number[] = [];
  let n = firstParam;
  const next = (i: number) => {
    valueIndexes.push(i);
    return param(n++);
  };
  const build = (i: number): string => {
    const column = columns[i] ?? '';
    if (i === columns.length - 1) return `${column} ${op} ${next(i)}`;
    const head = `${column} ${strict} ${next(i)}`;
    const eq = `${column} = ${next(i)}`;
    return `(${head} OR (${eq} AND ${build(i + 1)}))`;
  };
  return { sql: build(0), valueIndexes };
}
