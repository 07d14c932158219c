/** A JSON Schema node as zod's `z.toJSONSchema` writes it (draft 2020-12), read loosely. */
export type JsonSchemaNode = { [keyword: string]: unknown };

/** An OpenAPI v3 schema node as Kubernetes accepts it in a CRD (a "structural" schema). */
export type StructuralSchema = { [keyword: string]: unknown };

/**
 * Turns a JSON Schema into a structural schema for a CRD's `openAPIV3Schema`: every node gets a
 * `type` (or an explicit `x-kubernetes-*` escape), `const` becomes a one-value `enum`, numeric
 * `exclusiveMinimum` becomes OpenAPI 3.0's boolean form, `additionalProperties: false` is dropped
 * (Kubernetes prunes unknown fields itself, and `kubectl apply` rejects them), defaults are left
 * to baton's own loader (so the Release keeps what the user wrote), and regexes Go's RE2 cannot
 * compile are dropped. A union of int and string becomes `x-kubernetes-int-or-string`; a union of
 * objects keeps every member's fields (the controller's zod check decides which combination is
 * valid, with the same message the CLI gives); any other union is kept as unknown fields.
 */
export function toStructural(node: JsonSchemaNode): StructuralSchema {
  const union = (node.anyOf ?? node.oneOf) as JsonSchemaNode[] | undefined;
  if (union !== undefined) return fromUnion(node, union);
  const out: StructuralSchema = {};
  if (typeof node.description === 'string') out.description = node.description;
  if ('const' in node) {
    out.type = typeOfValue(node.const);
    out.enum = [node.const];
    return out;
  }
  const type = node.type;
  if (typeof type !== 'string') return { ...out, 'x-kubernetes-preserve-unknown-fields': true };
  out.type = type;
  if (Array.isArray(node.enum)) out.enum = node.enum;
  for (const keyword of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'format'] as const) {
    if (keyword === 'format') continue; // JSON Schema formats (uri) are checked by zod, not re-implemented here
    if (typeof node[keyword] === 'number') out[keyword] = node[keyword];
  }
  if (typeof node.exclusiveMinimum === 'number') {
    out.minimum = node.exclusiveMinimum;
    out.exclusiveMinimum = true;
  }
  if (typeof node.exclusiveMaximum === 'number') {
    out.maximum = node.exclusiveMaximum;
    out.exclusiveMaximum = true;
  }
  if (typeof node.pattern === 'string' && re2Compatible(node.pattern)) out.pattern = node.pattern;
  if (type === 'array' && isNode(node.items)) out.items = toStructural(node.items);
  if (type === 'array' && !isNode(node.items)) out.items = { 'x-kubernetes-preserve-unknown-fields': true };
  if (type === 'object') Object.assign(out, objectParts(node));
  return out;
}

function objectParts(node: JsonSchemaNode): StructuralSchema {
  const out: StructuralSchema = {};
  const properties = node.properties as Record<string, JsonSchemaNode> | undefined;
  if (properties !== undefined && Object.keys(properties).length > 0) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, toStructural(value)]));
    if (Array.isArray(node.required) && node.required.length > 0) out.required = node.required;
  } else if (isNode(node.additionalProperties)) {
    out.additionalProperties = toStructural(node.additionalProperties);
  } else {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

function fromUnion(node: JsonSchemaNode, members: JsonSchemaNode[]): StructuralSchema {
  const description = typeof node.description === 'string' ? { description: node.description } : {};
  const types = new Set(members.map((m) => m.type));
  if (types.size === 2 && types.has('integer') && types.has('string')) return { ...description, 'x-kubernetes-int-or-string': true };
  if (types.size === 1 && types.has('object')) {
    const properties: Record<string, StructuralSchema> = {};
    for (const member of members) {
      const converted = objectParts(member).properties as Record<string, StructuralSchema> | undefined;
      Object.assign(properties, converted ?? {});
    }
    return { ...description, type: 'object', properties };
  }
  if (types.size === 1 && typeof members[0]?.type === 'string' && members[0].type !== 'array') {
    return { ...description, type: members[0].type };
  }
  return { ...description, 'x-kubernetes-preserve-unknown-fields': true };
}

/** Lookarounds and backreferences are the JavaScript regex features RE2 lacks. */
function re2Compatible(pattern: string): boolean {
  return !/\(\?[=!<]|\\[1-9]/.test(pattern);
}

function typeOfValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

function isNode(value: unknown): value is JsonSchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
