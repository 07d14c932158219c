/** Reads a nested field of a parsed manifest; undefined when any step is missing. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A record field as a record, or undefined. */
export function recordAt(value: unknown, path: readonly (string | number)[]): Record<string, unknown> | undefined {
  const found = valueAt(value, path);
  return found !== null && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
}
