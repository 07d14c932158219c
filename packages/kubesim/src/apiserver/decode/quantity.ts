/**
 * resource.Quantity's parser (k8s.io/apimachinery/pkg/api/resource: ParseQuantity and
 * parseQuantityString) with its two error texts, so "100MB" or "1.5.5" gets the real server's 400,
 * and its canonical form (Quantity.String(), CanonicalizeBytes), which the server stores and
 * returns: "0.5" -> "500m", "1024Mi" -> "1Gi", "1.5k" -> "1500", 0.0000000001 -> "1n".
 */

export const quantityFormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantitySuffixError = "unable to parse quantity's suffix";

const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const suffixChars = 'eEinumkKMGTP';
const suffixes = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

/** The suffix part of a quantity string, or the format error. */
function splitSuffix(str: string): { suffix: string } | { error: string } {
  let pos = 0;
  const end = str.length;
  if (str[0] === '-' || str[0] === '+') pos += 1;
  while (pos < end && str[pos] === '0') pos += 1;
  if (pos >= end) return { suffix: '' };
  while (pos < end && digit(str[pos])) pos += 1;
  if (pos >= end) return { suffix: '' };
  if (str[pos] === '.') {
    pos += 1;
    while (pos < end && digit(str[pos])) pos += 1;
    if (pos >= end) return { suffix: '' };
  }
  const start = pos;
  while (pos < end && suffixChars.includes(str[pos]!)) pos += 1;
  if (pos >= end) return { suffix: str.slice(start) };
  if (str[pos] === '-' || str[pos] === '+') pos += 1;
  while (pos < end && digit(str[pos])) pos += 1;
  return pos >= end ? { suffix: str.slice(start) } : { error: quantityFormatError };
}

/** Why `text` (a JSON string's content or a JSON literal) is not a Quantity; undefined if it is. */
export function quantityProblem(text: string): string | undefined {
  const str = text.trim();
  if (str.length === 0) return quantityFormatError;
  if (str === '0') return undefined;
  const split = splitSuffix(str);
  if ('error' in split) return split.error;
  const s = split.suffix;
  if (suffixes.has(s)) return undefined;
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) return undefined;
  return quantitySuffixError;
}

const decimalSuffixExponents: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixPowers: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimalSuffixOf = new Map(Object.entries(decimalSuffixExponents).map(([suffix, exponent]) => [exponent, suffix]));
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const binaryMax = (1n << 63n) - 1n;

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A quantity's exact value, mantissa x 10^exponent, rounded up to nano precision as the server does. */
export interface QuantityValue {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
}

/** The value of a valid quantity (check quantityProblem first); undefined when it is not one. */
export function quantityValue(text: string): QuantityValue | undefined {
  const str = text.trim();
  if (quantityProblem(str) !== undefined) return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str);
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in binarySuffixPowers) {
    mantissa *= 1024n ** BigInt(binarySuffixPowers[suffix]!);
    format = 'BinarySI';
  } else if (suffix in decimalSuffixExponents) {
    exponent += decimalSuffixExponents[suffix]!;
  } else {
    exponent += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  // ParseQuantity caps a binary quantity at the int64 maximum (a decimal one is not capped).
  if (format === 'BinarySI' && mantissa * 10n ** BigInt(Math.max(0, exponent)) > binaryMax * 10n ** BigInt(Math.max(0, -exponent))) {
    mantissa = binaryMax;
    exponent = 0;
  }
  if (sign === '-') mantissa = -mantissa;
  if (exponent < -9) {
    // Precision finer than 1n is rounded up, away from zero (inf.RoundUp).
    const divisor = 10n ** BigInt(-9 - exponent);
    const negative = mantissa < 0n;
    const magnitude = negative ? -mantissa : mantissa;
    const rounded = magnitude / divisor + (magnitude % divisor === 0n ? 0n : 1n);
    mantissa = negative ? -rounded : rounded;
    exponent = -9;
  }
  return { mantissa, exponent, format };
}

/** The text the API server stores and returns for a quantity; the input itself when it is none. */
export function canonicalQuantity(text: string): string {
  const value = quantityValue(text);
  if (!value) return text;
  let { mantissa, exponent } = value;
  if (mantissa === 0n) return '0';
  let format = value.format;
  if (format === 'BinarySI') {
    const integer = exponent >= 0 || mantissa % 10n ** BigInt(-exponent) === 0n;
    const whole = exponent >= 0 ? mantissa * 10n ** BigInt(exponent) : mantissa / 10n ** BigInt(-exponent);
    // Small values and fractions are shown in decimal, so nothing is rounded (CanonicalizeBytes).
    if (!integer || (whole > -1024n && whole < 1024n)) format = 'DecimalSI';
    else {
      let amount = whole;
      let power = 0;
      while (power < 6 && amount % 1024n === 0n) {
        amount /= 1024n;
        power += 1;
      }
      return `${amount}${binarySuffixes[power]}`;
    }
  }
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  // The largest exponent that is a multiple of 3 and keeps the mantissa whole.
  const scaled = Math.floor(exponent / 3) * 3;
  mantissa *= 10n ** BigInt(exponent - scaled);
  if (format === 'DecimalExponent') return scaled === 0 ? `${mantissa}` : `${mantissa}e${scaled}`;
  if (scaled > 18) return `${mantissa * 10n ** BigInt(scaled - 18)}E`;
  return `${mantissa}${decimalSuffixOf.get(scaled) ?? ''}`;
}

/** Two quantities with the same value, however written ("0.5" and "500m"). */
export function sameQuantity(a: string, b: string): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  if (!x || !y) return false;
  const exponent = Math.min(x.exponent, y.exponent);
  return x.mantissa * 10n ** BigInt(x.exponent - exponent) === y.mantissa * 10n ** BigInt(y.exponent - exponent);
}
