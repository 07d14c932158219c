import type { JsonValue } from '../json.js';

const HIDDEN = '(hidden)';
const secretKey = /pass(word)?|secret|token|credential|private[-_]?key|api[-_]?key/i;

/**
 * A copy of `value` safe to show in a browser: a Secret object's data and stringData values,
 * any field whose name says it holds a credential, and the password in any URL are replaced.
 * The dashboard sends nothing to the page without passing it through here.
 */
export function redact(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const isSecret = value.kind === 'Secret';
  const out: Record<string, JsonValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (isSecret && (key === 'data' || key === 'stringData') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[key] = Object.fromEntries(Object.keys(v).map((k) => [k, HIDDEN]));
    } else if (secretKey.test(key) && (typeof v === 'string' || typeof v === 'number')) out[key] = HIDDEN;
    else out[key] = redact(v);
  }
  return out;
}

/** `postgres://user:pw@host/db` -> `postgres://user:(hidden)@host/db`, anywhere in a string. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${HIDDEN}@`);
}
