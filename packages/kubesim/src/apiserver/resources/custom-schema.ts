import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject, type KubeObject } from '../types.js';

type Schema = Record<string, unknown>;

function typeOk(type: unknown, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/**
 * Validates `v` against a structural schema and prunes unknown fields in place (as the real
 * server does unless x-kubernetes-preserve-unknown-fields). Supports type, required, enum,
 * properties, additionalProperties, items, minimum/maximum, minLength/maxLength, pattern,
 * x-kubernetes-int-or-string, nullable, and applies `default`s of missing properties. CEL rules,
 * formats and oneOf/anyOf/allOf/not are not checked.
 */
function check(s: Schema, v: unknown, path: string, out: StatusCause[]): void {
  if (v === null) {
    if (s['nullable'] !== true) out.push(fieldErrors.invalid(path, null, `must be of type ${String(s['type'] ?? 'object')}`));
    return;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
      out.push(fieldErrors.invalid(path, v, 'must be of type integer or string'));
    return;
  }
  if (s['type'] !== undefined && !typeOk(s['type'], v)) {
    const actual = Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
    out.push({
      reason: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: "${actual}": ${path} in body must be of type ${String(s['type'])}: "${actual}"`,
    });
    return;
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push(fieldErrors.notSupported(path, v, s['enum'].map(String)));
  }
  if (typeof v === 'number') {
    if (typeof s['minimum'] === 'number' && v < s['minimum'])
      out.push(fieldErrors.invalid(path, v, `${path} in body should be greater than or equal to ${s['minimum']}`));
    if (typeof s['maximum'] === 'number' && v > s['maximum'])
      out.push(fieldErrors.invalid(path, v, `${path} in body should be less than or equal to ${s['maximum']}`));
  }
  if (typeof v === 'string') {
    if (typeof s['minLength'] === 'number' && v.length < s['minLength'])
      out.push(fieldErrors.invalid(path, v, `${path} in body should be at least ${s['minLength']} chars long`));
    if (typeof s['maxLength'] === 'number' && v.length > s['maxLength'])
      out.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${s['maxLength']} bytes` });
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern']).test(v))
      out.push(fieldErrors.invalid(path, v, `${path} in body should match '${s['pattern']}'`));
  }
  if (Array.isArray(v) && isObject(s['items'])) for (const [i, x] of v.entries()) check(s['items'] as Schema, x, `${path}[${i}]`, out);
  if (isObject(v)) {
    const props = isObject(s['properties']) ? s['properties'] : undefined;
    const extra = s['additionalProperties'];
    // Structural-schema defaulting: a missing property with a default gets it (before validation).
    for (const [k, ps] of Object.entries(props ?? {})) {
      if (v[k] === undefined && isObject(ps) && ps['default'] !== undefined) v[k] = JSON.parse(JSON.stringify(ps['default']));
    }
    for (const r of Array.isArray(s['required']) ? s['required'] : []) {
      if (v[String(r)] === undefined) out.push(fieldErrors.required(path ? `${path}.${String(r)}` : String(r)));
    }
    for (const [k, x] of Object.entries(v)) {
      const child = path ? `${path}.${k}` : k;
      const ps = props && isObject(props[k]) ? props[k] : isObject(extra) ? extra : undefined;
      if (ps) check(ps, x, child, out);
      else if (props && s['x-kubernetes-preserve-unknown-fields'] !== true && extra !== true) delete v[k];
      else if (!props && !extra && s['x-kubernetes-preserve-unknown-fields'] !== true && s['type'] === 'object') delete v[k];
    }
  }
}

/** Validates (and prunes) a custom resource against its CRD version schema; metadata is the server's. */
export function validateCustomResource(d: ResourceDescriptor, o: KubeObject): StatusCause[] {
  const schema = d.schema;
  if (!schema) return [];
  const out: StatusCause[] = [];
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  for (const [k, ps] of Object.entries(props)) {
    if (o[k] === undefined && isObject(ps) && ps['default'] !== undefined) o[k] = JSON.parse(JSON.stringify(ps['default']));
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    const ps = props[k];
    if (isObject(ps)) check(ps, v, k, out);
    else if (schema['x-kubernetes-preserve-unknown-fields'] !== true) delete o[k];
  }
  for (const r of Array.isArray(schema['required']) ? schema['required'] : []) {
    if (o[String(r)] === undefined) out.push(fieldErrors.required(String(r)));
  }
  return out;
}
