/**
 * Backfill migrations name each batch with `:batch` (a key-range predicate baton fills in) or
 * `:start` / `:end` (an integer key range). Neither parser knows them, so they become literals of
 * the same length (`:batch` -> `1=1   `, `:start` -> `0     `): offsets, and so line and column
 * numbers, stay exact. `::end` (a cast to a type named end) is left alone.
 */
export function maskPlaceholders(sql: string): string {
  return sql
    .replace(/(?<![:\w]):batch\b/g, (match) => '1=1'.padEnd(match.length, ' '))
    .replace(/(?<![:\w]):(start|end)\b/g, (match) => '0'.padEnd(match.length, ' '));
}

/** True when the statement names its batch: `:batch`, or both `:start` and `:end`. */
export function hasBatchPlaceholders(sql: string): boolean {
  return /(?<![:\w]):batch\b/.test(sql) || (/(?<![:\w]):start\b/.test(sql) && /(?<![:\w]):end\b/.test(sql));
}
