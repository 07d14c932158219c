import type { JsonValue } from './parsed-statement.js';

/** A JSON object node, or undefined: lets rules walk foreign syntax trees without `any`. */
export type JsonObject = { [key: string]: JsonValue };

export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Follows a path of keys/indexes; undefined as soon as one step is missing. */
export function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? (typeof key === 'number' ? current[key] : undefined) : current[String(key)];
  }
  return current;
}

/** The single key of a libpg-query node wrapper such as `{ AlterTableStmt: {...} }`. */
export function nodeType(value: JsonValue | undefined): string | undefined {
  const object = asObject(value);
  if (object === undefined) return undefined;
  const keys = Object.keys(object);
  return keys.length === 1 ? keys[0] : undefined;
}
