/** JSON values: what the journal, plans and reports are allowed to carry. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON copy of plain data (zod output, Kubernetes objects, plans): drops undefined, keeps the rest. */
export function toJsonObject(value: unknown): JsonObject {
  const copy: JsonValue = JSON.parse(JSON.stringify(value ?? {}));
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return {};
  return copy;
}
