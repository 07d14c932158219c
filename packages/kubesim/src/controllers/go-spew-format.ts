import { type GoSchema, type ParsedType, fieldsIn, goTypeString, parseTypeRef } from './go-schema.js';
import { goQuantity, zeroGoQuantity } from './go-quantity.js';

/**
 * go-spew's `%#v` (ConfigState{DisableMethods, SortKeys}) of a Go value, built from the value's
 * JSON and the Go type schema. What spew prints, per kind (davecgh/go-spew spew/format.go):
 * - a value's Go type in parentheses before it, except for slice elements and map keys/values;
 * - struct: `{Name:value Name:value}`, every field in declaration order, zero values included;
 * - string raw, unquoted; ints in decimal; bools `true`/`false`;
 * - nil pointer, slice or map: `<nil>`; a non-nil pointer shows its type `(*T)` then the value
 *   (a pointer without a type, in a slice or map, shows `<*>`);
 * - slice `[a b]`; map `map[k:v k:v]` with keys sorted (byte order for strings).
 * The JSON is the API server's stored object read back the way the controller reads it
 * (protobuf): an empty list or map is nil, like an absent one.
 */
export interface SpewResult {
  text: string;
  /** False when some value could not be reproduced exactly (a non-zero time, an *inf.Dec quantity). */
  exact: boolean;
}

type Json = unknown;

const zeroTime = '{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}';

/** Go's string ordering (bytes of UTF-8), which is code point order, not JS's UTF-16 order. */
function goStringCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parsed type references per schema, kept across dumps: every sync prints the same types. */
const parsedBySchema = new WeakMap<GoSchema, Map<string, ParsedType>>();

class Printer {
  readonly out: string[] = [];
  exact = true;
  private readonly parsed: Map<string, ParsedType>;

  constructor(
    private readonly schema: GoSchema,
    private readonly minor: number,
  ) {
    let parsed = parsedBySchema.get(schema);
    if (!parsed) {
      parsed = new Map();
      parsedBySchema.set(schema, parsed);
    }
    this.parsed = parsed;
  }

  type(ref: string): ParsedType {
    let t = this.parsed.get(ref);
    if (!t) {
      t = parseTypeRef(this.schema, ref);
      this.parsed.set(ref, t);
    }
    return t;
  }

  value(t: ParsedType, v: Json, showType: boolean): void {
    if (t.kind === 'pointer') {
      if (v === undefined || v === null) {
        this.out.push(showType ? `(${goTypeString(t)})<nil>` : '<nil>');
        return;
      }
      this.out.push(showType ? `(${goTypeString(t)})` : '<*>');
      this.value(t.elem, v, false);
      return;
    }
    if (showType) this.out.push(`(${goTypeString(t)})`);
    switch (t.kind) {
      case 'basic':
        this.basic(t.name, v);
        return;
      case 'slice':
        this.slice(t.elem, v);
        return;
      case 'map':
        this.map(t.key, t.elem, v);
        return;
      case 'named':
        this.named(t, v);
        return;
    }
  }

  private basic(kind: string, v: Json): void {
    if (kind === 'string') this.out.push(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
    else if (kind === 'bool') this.out.push(v === true ? 'true' : 'false');
    else if (typeof v === 'number' || typeof v === 'bigint') this.out.push(String(v));
    else this.out.push('0');
  }

  private slice(elem: ParsedType, v: Json): void {
    if (!Array.isArray(v) || v.length === 0) {
      this.out.push('<nil>');
      return;
    }
    this.out.push('[');
    v.forEach((e, i) => {
      if (i > 0) this.out.push(' ');
      this.value(elem, e, false);
    });
    this.out.push(']');
  }

  private map(key: ParsedType, elem: ParsedType, v: Json): void {
    const keys = isObject(v) ? Object.keys(v).filter((k) => v[k] !== undefined) : [];
    if (!isObject(v) || keys.length === 0) {
      this.out.push('<nil>');
      return;
    }
    this.out.push('map[');
    keys.sort(goStringCompare).forEach((k, i) => {
      if (i > 0) this.out.push(' ');
      this.value(key, k, false);
      this.out.push(':');
      this.value(elem, v[k], false);
    });
    this.out.push(']');
  }

  private named(t: Extract<ParsedType, { kind: 'named' }>, v: Json): void {
    const def = t.def;
    switch (def.kind) {
      case 'struct': {
        const obj = isObject(v) ? v : {};
        this.out.push('{');
        fieldsIn(def, this.minor).forEach((f, i) => {
          if (i > 0) this.out.push(' ');
          this.out.push(`${f.name}:`);
          this.value(this.type(f.type), f.inline ? obj : f.json === '-' ? undefined : obj[f.json], true);
        });
        this.out.push('}');
        return;
      }
      case 'map':
        this.map(this.type(def.key ?? 'string'), this.type(def.elem ?? 'string'), v);
        return;
      case 'slice':
        this.slice(this.type(def.elem ?? 'string'), v);
        return;
      case 'special':
        this.special(t.key, v);
        return;
      default:
        this.basic(def.kind, v);
    }
  }

  private special(key: string, v: Json): void {
    if (key === 'meta.Time') {
      // Only the zero time is exact: a set time's dump shows the controller's local *time.Location.
      if (v !== undefined && v !== null && v !== '') {
        this.exact = false;
        this.out.push(`{Time:(time.Time)<inexact ${String(v)}>}`);
      } else this.out.push(zeroTime);
    } else if (key === 'intstr.IntOrString') {
      // JSON's string form is Type 1 (String), anything else Type 0 (Int).
      if (typeof v === 'string') this.out.push(`{Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string)${v}}`);
      else this.out.push(`{Type:(intstr.Type)0 IntVal:(int32)${typeof v === 'number' ? v : 0} StrVal:(string)}`);
    } else if (key === 'resource.Quantity') {
      if (v === undefined || v === null) {
        this.out.push(zeroGoQuantity);
        return;
      }
      const q = goQuantity(String(v));
      if (!q.exact) this.exact = false;
      this.out.push(q.text);
    } else throw new Error(`no printer for special Go type ${key}`);
  }
}

/** `%#v` of the schema's root type (or `root`) for the JSON value `v`, as of Kubernetes 1.`minor`. */
export function spewGoValue(schema: GoSchema, minor: number, v: Json, root: string = schema.root): SpewResult {
  const p = new Printer(schema, minor);
  p.value(p.type(root), v, true);
  return { text: p.out.join(''), exact: p.exact };
}
