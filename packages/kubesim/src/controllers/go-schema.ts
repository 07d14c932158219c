/**
 * The shape of a Go type schema (what tools/template-hash-fixtures generates from k8s.io/api):
 * enough of each struct for go-spew's %#v dump, which prints every field in declaration order
 * with its Go type, so the order, the Go names and the Go types all matter.
 */

/** A reference to a type: a Go basic type ("int32"), a schema key ("core.PodSpec"), "*T", "[]T" or "map[K]V". */
export type GoTypeRef = string;

export interface GoField {
  /** The Go field name, printed by %#v ("TerminationGracePeriodSeconds"). */
  name: string;
  /** The JSON name the value is read from ("" with inline: the parent's object). */
  json: string;
  type: GoTypeRef;
  /** Embedded with `json:",inline"`: its fields sit in the parent's JSON object. */
  inline?: boolean;
  /** First and last minor with this field (absent: all the schema's minors). */
  since?: number;
  until?: number;
}

/** A named Go type: a struct, a named basic ("v1.Protocol" is a string), map or slice; "special" types are printed by hand. */
export interface GoNamedType {
  /** The name reflect prints: package name and type ("v1.PodSpec", "resource.Quantity"). */
  go: string;
  kind: string;
  fields?: readonly GoField[];
  key?: GoTypeRef;
  elem?: GoTypeRef;
}

export interface GoSchema {
  root: string;
  oldestMinor: number;
  newestMinor: number;
  types: Readonly<Record<string, GoNamedType>>;
}

/** A type reference, parsed once. */
export type ParsedType =
  | { kind: 'basic'; name: string }
  | { kind: 'named'; key: string; def: GoNamedType }
  | { kind: 'pointer'; elem: ParsedType }
  | { kind: 'slice'; elem: ParsedType }
  | { kind: 'map'; key: ParsedType; elem: ParsedType };

const basics = new Set([
  'string',
  'bool',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
]);

/** Parses `ref` against `schema`; throws on a key the schema does not have (a generator bug). */
export function parseTypeRef(schema: GoSchema, ref: GoTypeRef): ParsedType {
  if (ref.startsWith('*')) return { kind: 'pointer', elem: parseTypeRef(schema, ref.slice(1)) };
  if (ref.startsWith('[]')) return { kind: 'slice', elem: parseTypeRef(schema, ref.slice(2)) };
  if (ref.startsWith('map[')) {
    // Map keys are basic or named types, never composite, so the first ']' closes the key.
    const close = ref.indexOf(']');
    return { kind: 'map', key: parseTypeRef(schema, ref.slice(4, close)), elem: parseTypeRef(schema, ref.slice(close + 1)) };
  }
  if (ref === 'byte') return { kind: 'basic', name: 'uint8' };
  if (basics.has(ref)) return { kind: 'basic', name: ref };
  const def = schema.types[ref];
  if (!def) throw new Error(`Go schema has no type ${ref}`);
  return { kind: 'named', key: ref, def };
}

/** The string reflect.Type.String() gives: "*v1.Probe", "[]v1.Container", "map[string]string". */
export function goTypeString(t: ParsedType): string {
  switch (t.kind) {
    case 'basic':
      return t.name;
    case 'named':
      return t.def.go;
    case 'pointer':
      return `*${goTypeString(t.elem)}`;
    case 'slice':
      return `[]${goTypeString(t.elem)}`;
    case 'map':
      return `map[${goTypeString(t.key)}]${goTypeString(t.elem)}`;
  }
}

/** The fields a struct has in `minor`, in declaration order. */
export function fieldsIn(def: GoNamedType, minor: number): GoField[] {
  return (def.fields ?? []).filter((f) => (f.since === undefined || minor >= f.since) && (f.until === undefined || minor <= f.until));
}
