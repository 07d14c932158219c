/**
 * resource.Quantity's parser (k8s.io/apimachinery/pkg/api/resource: ParseQuantity and
 * parseQuantityString) with its two error texts, so "100MB" or "1.5.5" gets the real server's 400.
 * Canonicalisation of the stored form ("0.5" -> "500m") is not modelled: kubesim keeps the text.
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
