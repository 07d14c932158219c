import { errors } from './api-error.js';
import { isObject } from './types.js';

type Op = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}
export type Selector = Requirement[];

/** Splits on commas outside parentheses: "a in (x,y),b" -> ["a in (x,y)", "b"]. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0,
    cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

const keyRe = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valRe = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function bad(part: string, why: string): never {
  throw errors.badRequest(`unable to parse requirement: ${why}: "${part}"`);
}

/** Parses a label selector string with =, ==, !=, in, notin, exists, !key, gt, lt. */
export function parseLabelSelector(s: string | null | undefined): Selector {
  if (!s) return [];
  return splitTop(s).map((part): Requirement => {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^!\s*(\S+)$/))) return check(part, { key: m[1] ?? '', op: '!', values: [] });
    if ((m = part.match(/^(\S+?)\s+(in|notin)\s*\((.*)\)$/))) {
      const values = (m[3] ?? '').split(',').map((v) => v.trim());
      return check(part, { key: m[1] ?? '', op: m[2] as Op, values });
    }
    if ((m = part.match(/^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/))) {
      const op = m[2] === '!=' ? '!=' : m[2] === '<' ? 'lt' : m[2] === '>' ? 'gt' : '=';
      return check(part, { key: m[1] ?? '', op, values: [m[3] ?? ''] });
    }
    if ((m = part.match(/^(\S+)$/))) return check(part, { key: m[1] ?? '', op: 'exists', values: [] });
    return bad(part, 'invalid syntax');
  });
}

function check(part: string, r: Requirement): Requirement {
  if (!keyRe.test(r.key) || r.key.split('/').pop()!.length > 63) bad(part, `invalid label key "${r.key}"`);
  for (const v of r.values) if (v.length > 63 || !valRe.test(v)) bad(part, `invalid label value: "${v}"`);
  if ((r.op === 'gt' || r.op === 'lt') && !/^-?\d+$/.test(r.values[0] ?? '')) bad(part, 'for gt/lt operators, values must be integers');
  return r;
}

/** Whether a label map satisfies every requirement. */
export function matchesSelector(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v ?? '');
      case 'notin':
        return !has || !r.values.includes(v ?? '');
      case 'gt':
        return has && Number(v) > Number(r.values[0]);
      case 'lt':
        return has && Number(v) < Number(r.values[0]);
    }
    return false;
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parses a field selector; only the fields in `supported` are accepted (400 otherwise, as upstream). */
export function parseFieldSelector(s: string | null | undefined, supported: readonly string[]): FieldRequirement[] {
  if (!s) return [];
  return splitTop(s).map((part) => {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw errors.badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field)) throw errors.badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? ('!=' as const) : ('=' as const), value: m[3]!.trim() };
  });
}

function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const p of path.split('.')) cur = isObject(cur) ? cur[p] : undefined;
  return cur === undefined || cur === null ? '' : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}

/** metav1.LabelSelector (matchLabels + matchExpressions) to requirement form. */
export function fromLabelSelector(ls: unknown): Selector {
  if (!isObject(ls)) return [];
  const out: Selector = [];
  if (isObject(ls['matchLabels'])) {
    for (const [k, v] of Object.entries(ls['matchLabels'])) out.push({ key: k, op: '=', values: [String(v)] });
  }
  if (Array.isArray(ls['matchExpressions'])) {
    for (const e of ls['matchExpressions']) {
      if (!isObject(e)) continue;
      const op = String(e['operator']);
      const values = Array.isArray(e['values']) ? e['values'].map(String) : [];
      const key = String(e['key']);
      if (op === 'In') out.push({ key, op: 'in', values });
      else if (op === 'NotIn') out.push({ key, op: 'notin', values });
      else if (op === 'Exists') out.push({ key, op: 'exists', values: [] });
      else if (op === 'DoesNotExist') out.push({ key, op: '!', values: [] });
    }
  }
  return out;
}

/** Requirement form back to the canonical string (Scale.status.selector, kubectl output). */
export function selectorToString(sel: Selector): string {
  return sel
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notin':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
      }
      return '';
    })
    .join(',');
}
