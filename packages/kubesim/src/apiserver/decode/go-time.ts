/**
 * Go's time.Parse for the two layouts the Kubernetes API decodes, with Go's error texts, so a bad
 * timestamp gets the 400 a real API server answers:
 * - metav1.Time: time.RFC3339 "2006-01-02T15:04:05Z07:00". Go accepts a fractional second the
 *   layout does not name (any number of digits), and the server keeps whole seconds.
 * - metav1.MicroTime: "2006-01-02T15:04:05.000000Z07:00": exactly six fractional digits, so a
 *   JavaScript `toISOString()` (three) is refused.
 * Modelled on src/time/format.go (Parse, nextStdChunk, getnum, parseNanoseconds, skip).
 */

export const rfc3339 = '2006-01-02T15:04:05Z07:00';
export const rfc3339Micro = '2006-01-02T15:04:05.000000Z07:00';

type Std = { code: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'tz' } | { code: 'frac'; digits: number };

/** The layout as Go's nextStdChunk splits it: literal prefixes and std elements. */
function chunks(layout: string): Array<{ prefix: string; std?: Std; stdText: string }> {
  const table: Array<[string, Std]> = [
    ['2006', { code: 'year' }],
    ['01', { code: 'month' }],
    ['02', { code: 'day' }],
    ['15', { code: 'hour' }],
    ['04', { code: 'minute' }],
    ['05', { code: 'second' }],
    ['Z07:00', { code: 'tz' }],
  ];
  const out: Array<{ prefix: string; std?: Std; stdText: string }> = [];
  let prefix = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      out.push({ prefix, std: { code: 'frac', digits: frac[1]!.length }, stdText: frac[0] });
      prefix = '';
      i += frac[0].length;
      continue;
    }
    const hit = table.find(([text]) => layout.startsWith(text, i));
    if (hit) {
      out.push({ prefix, std: hit[1], stdText: hit[0] });
      prefix = '';
      i += hit[0].length;
      continue;
    }
    prefix += layout[i];
    i += 1;
  }
  out.push({ prefix, stdText: '' });
  return out;
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Go's getnum: one or two digits; `fixed` demands two. */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** Go's atoi: optional sign, then decimal digits only. */
function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined;
}

const daysIn = (month: number, year: number): number =>
  month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

export type GoTimeResult = { ok: true; epochMs: number; micros: number } | { ok: false; error: string };

/** Parses `value` with a Go layout (the subset above); on failure, the exact message of Go's ParseError. */
export function parseGoTime(layout: string, value: string): GoTimeResult {
  const fail = (layoutElem: string, valueElem: string): GoTimeResult => ({
    ok: false,
    error: `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
  });
  const range = (what: string): GoTimeResult => ({ ok: false, error: `parsing time ${quote(value)}: ${what} out of range` });
  let rest = value;
  let year = 0,
    month = 1,
    day = 1,
    hour = 0,
    minute = 0,
    second = 0,
    nanos = 0,
    offsetSeconds = 0;
  const parts = chunks(layout);
  for (let k = 0; k < parts.length; k += 1) {
    const { prefix, std, stdText } = parts[k]!;
    for (let j = 0; j < prefix.length; j += 1) {
      if (rest.length === 0 || rest[0] !== prefix[j]) return fail(prefix, rest);
      rest = rest.slice(1);
    }
    if (!std) {
      if (rest.length !== 0) return { ok: false, error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` };
      break;
    }
    const hold = rest;
    switch (std.code) {
      case 'year': {
        const y = rest.length >= 4 && isDigit(rest, 0) ? atoi(rest.slice(0, 4)) : undefined;
        if (y === undefined) return fail(stdText, hold);
        year = y;
        rest = rest.slice(4);
        break;
      }
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second': {
        const got = getnum(rest, std.code !== 'hour');
        if (!got) return fail(stdText, hold);
        [rest] = [got[1]];
        const n = got[0];
        if (std.code === 'month') {
          if (n <= 0 || n > 12) return range('month');
          month = n;
        }
        if (std.code === 'day') day = n; // checked against the month once the year is known
        if (std.code === 'hour') {
          if (n >= 24) return range('hour');
          hour = n;
        }
        if (std.code === 'minute') {
          if (n >= 60) return range('minute');
          minute = n;
        }
        if (std.code === 'second') {
          if (n >= 60) return range('second');
          second = n;
          // A fraction the layout does not name is still accepted (Go's special case).
          const next = parts[k + 1]?.std;
          if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1) && next?.code !== 'frac') {
            let n2 = 2;
            while (isDigit(rest, n2)) n2 += 1;
            nanos = Number(rest.slice(1, Math.min(n2, 10)).padEnd(9, '0'));
            rest = rest.slice(n2);
          }
        }
        break;
      }
      case 'frac': {
        const width = 1 + std.digits;
        if (rest.length < width) return fail(stdText, hold);
        if (rest[0] !== '.' && rest[0] !== ',') return fail(stdText, hold);
        const ns = atoi(rest.slice(1, width));
        if (ns === undefined) return fail(stdText, hold);
        if (ns < 0) return range('fractional second');
        nanos = Number(rest.slice(1, width).replace(/^[+]/, '').padEnd(9, '0'));
        rest = rest.slice(width);
        break;
      }
      case 'tz': {
        if (rest[0] === 'Z') {
          rest = rest.slice(1);
          offsetSeconds = 0;
          break;
        }
        if (rest.length < 6 || rest[3] !== ':') return fail(stdText, hold);
        const hh = getnum(rest.slice(1, 3), true);
        const mm = getnum(rest.slice(4, 6), true);
        if (!hh || !mm || (rest[0] !== '+' && rest[0] !== '-')) return fail(stdText, hold);
        if (hh[0] > 24) return range('time zone offset hour');
        if (mm[0] > 60) return range('time zone offset minute');
        offsetSeconds = (rest[0] === '-' ? -1 : 1) * (hh[0] * 3600 + mm[0] * 60);
        rest = rest.slice(6);
        break;
      }
    }
  }
  if (day < 1 || day > daysIn(month, year)) return range('day');
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetSeconds * 1000;
  // Date.UTC maps years 0-99 to 1900-1999; Go does not.
  const fixed = year < 100 ? new Date(epochMs).setUTCFullYear(year) : epochMs;
  return { ok: true, epochMs: fixed + Math.floor(nanos / 1e6), micros: Math.floor(nanos / 1000) % 1000 };
}

/** The wire form the server writes for metav1.Time: UTC, whole seconds. */
export function formatTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The wire form for metav1.MicroTime: UTC, six fractional digits. */
export function formatMicroTime(epochMs: number, micros: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}
