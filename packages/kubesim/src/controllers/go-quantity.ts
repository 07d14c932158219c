import { canonicalQuantity } from '../quantity.js';

/**
 * resource.Quantity's hidden fields as the Deployment controller holds them. The API server stores
 * a quantity as its canonical string and the controller parses that string again, so what the
 * dump shows is ParseQuantity(canonical) (apimachinery pkg/api/resource). Only ParseQuantity's
 * int64 fast path is reproduced: it covers every canonical string whose digits fit an int64 at
 * nano precision. Anything else would be held as an *inf.Dec, whose dump (a big.Int's words) we
 * do not reproduce: `exact: false` then, and the caller documents the hash as kubesim's own.
 */
export interface GoQuantity {
  /** The `%#v` text of the struct's fields, `{i:... d:... s:... Format:...}`. */
  text: string;
  exact: boolean;
}

const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binaryExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const int64Max = (1n << 63n) - 1n;
/** maxInt64Factors: the decimal digits an int64 always holds. */
const maxInt64Digits = 18;

const print = (value: bigint, scale: number, s: string, format: string): string =>
  `{i:(resource.int64Amount){value:(int64)${value} scale:(resource.Scale)${scale}} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)${s} Format:(resource.Format)${format}}`;

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

function interpret(suffix: string): Suffix | undefined {
  const dec = decimalExponents[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binaryExponents[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** The zero Quantity (a non-pointer field left unset). */
export const zeroGoQuantity = print(0n, 0, '', '');

/** The controller's Quantity for a stored quantity string (canonicalised first, as the server stores it). */
export function goQuantity(stored: string): GoQuantity {
  const str = canonicalQuantity(stored.trim());
  const inexact = { text: `{<inexact ${str}>}`, exact: false };
  if (str === '0') return { text: print(0n, 0, '0', 'DecimalSI'), exact: true };
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(str);
  if (!m) return inexact;
  const positive = m[1] !== '-';
  const num = m[2] || '0';
  const denom = m[3] ?? '';
  const suffix = interpret(m[4] ?? '');
  if (!suffix) return inexact;
  let scale = 0;
  let precision = -1;
  let mantissa = 1n;
  if (suffix.format === 'BinarySI') {
    if (suffix.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(suffix.exponent);
      // 1Mi has ~6 decimal digits: Go estimates the digits a binary suffix uses as exponent*3/10.
      precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
    }
  } else {
    scale = suffix.exponent;
    precision = maxInt64Digits - (num.length + denom.length);
  }
  if (precision < 0) return inexact;
  scale -= denom.length;
  if (scale < -9) return inexact;
  const shifted = num + denom;
  const value = BigInt(shifted);
  let result = value * mantissa;
  if (result > int64Max) return inexact;
  if (!positive) result = -result;
  // ParseQuantity keeps the input string when it is already in canonical form.
  const cached =
    suffix.format === 'BinarySI'
      ? suffix.exponent % 10 === 0 && (value & 7n) !== 0n
      : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return { text: print(result, scale, cached ? str : '', suffix.format), exact: true };
}
