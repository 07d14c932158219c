import { canonicalQuantity } from '../quantity.js';

/**
 * resource.Quantity's hidden fields as the Deployment controller holds them. The API server stores
 * a quantity as its canonical string and the controller parses that string again, so what the
 * dump shows is ParseQuantity(canonical) (apimachinery pkg/api/resource): an int64 mantissa and
 * scale when the digits fit (the fast path), else an *inf.Dec rounded up to nano precision, whose
 * big.Int prints its 64-bit words (as on amd64 and arm64). `exact: false` only for a string the
 * parser would reject (the API server does not store one).
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
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (precision < 0 || scale - denom.length < -9 || value * mantissa > int64Max) return infDec(positive, value, denom.length, suffix);
  scale -= denom.length;
  let result = value * mantissa;
  if (!positive) result = -result;
  // ParseQuantity keeps the input string when it is already in canonical form.
  const cached =
    suffix.format === 'BinarySI'
      ? suffix.exponent % 10 === 0 && (value & 7n) !== 0n
      : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return { text: print(result, scale, cached ? str : '', suffix.format), exact: true };
}

/** 64-bit little-endian words of a big.nat, as spew prints a []big.Word. */
function words(n: bigint): string {
  const out: string[] = [];
  for (let rest = n; rest > 0n; rest >>= 64n) out.push(String(rest & 0xffffffffffffffffn));
  return `[${out.join(' ')}]`;
}

/** ParseQuantity's slow path: an inf.Dec (unscaled x 10^-scale), rounded up to scale 9, BinarySI capped at int64. */
function infDec(positive: boolean, digits: bigint, fractionDigits: number, suffix: Suffix): GoQuantity {
  let unscaled = digits;
  let scale = fractionDigits;
  if (suffix.base === 10) scale -= suffix.exponent;
  else unscaled <<= BigInt(suffix.exponent);
  if (unscaled === 0n) return { text: '{<inexact zero inf.Dec>}', exact: false };
  if (scale < 9) unscaled *= 10n ** BigInt(9 - scale);
  else if (scale > 9) {
    const d = 10n ** BigInt(scale - 9);
    unscaled = unscaled / d + (unscaled % d === 0n ? 0n : 1n);
  }
  scale = 9;
  let format = suffix.format;
  if (format === 'BinarySI' && unscaled > int64Max * 10n ** 9n) {
    unscaled = int64Max;
    scale = 0;
  }
  if (format === 'BinarySI' && unscaled < 10n ** BigInt(scale)) format = 'DecimalSI';
  const dec = `{unscaled:(big.Int){neg:(bool)${!positive} abs:(big.nat)${words(unscaled)}} scale:(inf.Scale)${scale}}`;
  return {
    text: `{i:(resource.int64Amount){value:(int64)0 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)${dec}} s:(string) Format:(resource.Format)${format}}`,
    exact: true,
  };
}
