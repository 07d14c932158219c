import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { OmitEmpty, OneOf, Since, Struct, type FieldSchema } from '../resources/field-schemas.js';
import { formatMicroTime, formatTime, parseGoTime, rfc3339, rfc3339Micro } from './go-time.js';
import { canonicalQuantity, quantityProblem } from './quantity.js';

/**
 * Decodes a request body against a kind's schema the way the apiserver's JSON decoder
 * (sigs.k8s.io/json over encoding/json) does, in place:
 * - a value of the wrong JSON type is remembered (the first one wins) and decoding goes on,
 *   giving "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32";
 * - Time, MicroTime, IntOrString and Quantity run their own UnmarshalJSON, whose error stops
 *   decoding at once and is the answer (the Lease's "cannot parse ".635Z" as ".000000"");
 * - unknown fields (including fields newer than the served minor) are removed and listed, for the
 *   strict-decoding error or the warning;
 * - Time is stored with whole seconds and MicroTime with six digits, in UTC, as the server writes them.
 */
export interface DecodeResult {
  /** The decoding error text (the server's 400 says `X in version "v1" cannot be handled as a X: <error>`). */
  error?: string;
  /** Paths of unknown fields, in upstream's notation: spec.template.spec.containers[0].lifecycle.preStop.sleep */
  unknown: string[];
}

class Abort extends Error {}

interface Where {
  /** Path with list indices, for unknown fields and field errors. */
  path: string;
  /** JSON field names from the root without indices: encoding/json's FieldStack. */
  stack: string;
  /** The innermost Go struct's name, encoding/json's errorContext.Struct. */
  struct: string;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function typeError(valueDesc: string, goType: string, at: Where): string {
  const into = at.struct ? `Go struct field ${at.struct}.${at.stack}` : 'Go value';
  return `json: cannot unmarshal ${valueDesc} into ${into} of type ${goType}`;
}

const int32Range = (n: number): boolean => n >= -2147483648 && n <= 2147483647;

function goTypeOf(schema: FieldSchema): string {
  if (schema instanceof Struct) return schema.goType;
  if (schema instanceof Since) return goTypeOf(schema.schema);
  if (schema instanceof OneOf) return 'string';
  if (Array.isArray(schema)) return `[]${goTypeOf(schema[0])}`;
  if (typeof schema === 'object') return 'struct';
  const leaves: Record<string, string> = {
    '*': 'interface {}',
    string: 'string',
    int32: 'int32',
    int64: 'int64',
    bool: 'bool',
    time: 'v1.Time',
    microtime: 'v1.MicroTime',
    intstr: 'intstr.IntOrString',
    quantity: 'resource.Quantity',
    strmap: 'map[string]string',
    quantitymap: 'map[v1.ResourceName]resource.Quantity',
    strlist: '[]string',
  };
  return leaves[schema] ?? 'interface {}';
}

/**
 * `keepZeros` is for a server-side apply configuration: it is merged before Go ever holds it, so a
 * `paused: false` there is a value the applier sets (and owns), not an empty field to drop.
 */
export function decodeBody(
  body: Record<string, unknown>,
  schema: FieldSchema,
  minor: number,
  options: { keepZeros?: boolean } = {},
): DecodeResult {
  let saved: string | undefined;
  const unknown: string[] = [];
  const save = (e: string): void => {
    saved ??= e;
  };
  const abort = (e: string): never => {
    throw new Abort(e);
  };

  function walk(value: unknown, s: FieldSchema, at: Where, set: (v: unknown) => void): void {
    if (value === null || value === undefined) return; // null leaves a Go value at its zero: never an error
    if (s instanceof Since) {
      walk(value, s.schema, at, set);
      return;
    }
    if (s instanceof OmitEmpty) {
      walk(value, s.schema, at, set);
      // Go writes this field back only when non-zero: the stored object has no `minReadySeconds: 0`.
      if (!options.keepZeros && (value === 0 || value === false || value === '')) set(undefined);
      return;
    }
    if (s === '*') return;
    if (s instanceof Struct || (typeof s === 'object' && !Array.isArray(s) && !(s instanceof OneOf))) {
      const fields = s instanceof Struct ? s.fields : s;
      if (typeof value !== 'object' || Array.isArray(value)) {
        save(typeError(describe(value), goTypeOf(s), at));
        return;
      }
      const obj = value as Record<string, unknown>;
      const structName = s instanceof Struct ? s.goType.replace(/^.*\./, '') : at.struct;
      for (const k of Object.keys(obj)) {
        const child: Where = { path: at.path ? `${at.path}.${k}` : k, stack: at.stack ? `${at.stack}.${k}` : k, struct: structName };
        const fs = fields[k];
        if (fs === undefined || (fs instanceof Since && fs.minor > minor)) {
          unknown.push(child.path);
          delete obj[k];
          continue;
        }
        walk(obj[k], fs, child, (v) => {
          if (v === undefined) delete obj[k];
          else obj[k] = v;
        });
      }
      return;
    }
    if (Array.isArray(s)) {
      if (!Array.isArray(value)) {
        save(typeError(describe(value), goTypeOf(s), at));
        return;
      }
      for (const [i, item] of value.entries())
        walk(item, s[0], { ...at, path: `${at.path}[${i}]` }, (v) => {
          value[i] = v;
        });
      return;
    }
    if (s instanceof OneOf || s === 'string') {
      if (typeof value !== 'string') save(typeError(describe(value), 'string', at));
      return;
    }
    switch (s) {
      case 'int32':
      case 'int64':
        if (typeof value !== 'number') save(typeError(describe(value), s, at));
        else if (!Number.isInteger(value) || (s === 'int32' && !int32Range(value)) || !Number.isSafeInteger(value))
          save(typeError(`number ${value}`, s, at));
        return;
      case 'bool':
        if (typeof value !== 'boolean') save(typeError(describe(value), 'bool', at));
        return;
      case 'strmap':
      case 'quantitymap': {
        if (typeof value !== 'object' || Array.isArray(value)) {
          save(typeError(describe(value), goTypeOf(s), at));
          return;
        }
        const obj = value as Record<string, unknown>;
        for (const k of Object.keys(obj))
          walk(obj[k], s === 'strmap' ? 'string' : 'quantity', at, (v) => {
            obj[k] = v;
          });
        return;
      }
      case 'strlist':
        if (!Array.isArray(value)) {
          save(typeError(describe(value), '[]string', at));
          return;
        }
        for (const item of value) if (item !== null && typeof item !== 'string') save(typeError(describe(item), 'string', at));
        return;
      case 'time':
      case 'microtime': {
        // metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse; errors end decoding.
        if (typeof value !== 'string') abort(typeError(describe(value), 'string', at));
        const parsed = parseGoTime(s === 'time' ? rfc3339 : rfc3339Micro, value as string);
        if (!parsed.ok) abort(parsed.error);
        else set(s === 'time' ? formatTime(parsed.epochMs) : formatMicroTime(parsed.epochMs, parsed.micros));
        return;
      }
      case 'intstr':
        // intstr.IntOrString.UnmarshalJSON: a quoted value is the string, anything else an int32.
        if (typeof value === 'string') return;
        if (typeof value !== 'number') abort(typeError(describe(value), 'int32', at));
        else if (!Number.isInteger(value) || !int32Range(value)) abort(typeError(`number ${value}`, 'int32', at));
        return;
      case 'quantity': {
        const text =
          typeof value === 'string'
            ? value
            : typeof value === 'number' || typeof value === 'boolean'
              ? String(value)
              : JSON.stringify(value);
        const problem = quantityProblem(text);
        if (problem) abort(problem);
        else set(canonicalQuantity(text)); // stored and returned canonical, as resource.Quantity marshals
        return;
      }
    }
  }

  try {
    walk(body, schema, { path: '', stack: '', struct: '' }, () => undefined);
  } catch (e) {
    if (e instanceof Abort) return { error: e.message, unknown };
    throw e;
  }
  return saved !== undefined ? { error: saved, unknown } : { unknown };
}

/** Enum fields (OneOf) holding a value outside their set, as validation's FieldValueNotSupported causes. */
export function enumCauses(value: unknown, s: FieldSchema, path = ''): StatusCause[] {
  if (value === null || typeof value !== 'object') {
    if (s instanceof OneOf && typeof value === 'string' && value !== '' && !s.values.includes(value))
      return [fieldErrors.notSupported(path, value, [...s.values])];
    return [];
  }
  if (s instanceof Since || s instanceof OmitEmpty) return enumCauses(value, s.schema, path);
  if (Array.isArray(s)) return Array.isArray(value) ? value.flatMap((item, i) => enumCauses(item, s[0], `${path}[${i}]`)) : [];
  const fields = s instanceof Struct ? s.fields : typeof s === 'object' && !(s instanceof OneOf) ? s : undefined;
  if (!fields || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const fs = fields[k];
    return fs === undefined ? [] : enumCauses(v, fs, path ? `${path}.${k}` : k);
  });
}
