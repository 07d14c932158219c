/**
 * Backfill migrations use `:start` / `:end` for the key range of each batch. Neither parser
 * knows them, so they become numeric literals of the same length: offsets, and so line and
 * column numbers, stay exact. `::end` (a cast to a type named end) is left alone.
 */
export function maskPlaceholders(sql: string): string {
  return sql.replace(/(?<![:\w]):(start|end)\b/g, (match) => '0'.padEnd(match.length, ' '));
}

/** True when the statement uses both batch placeholders. */
export function hasBatchPlaceholders(sql: string): boolean {
  return /(?<![:\w]):start\b/.test(sql) && /(?<![:\w]):end\b/.test(sql);
}
