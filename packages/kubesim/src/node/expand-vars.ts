/**
 * Kubernetes `$(VAR)` expansion (as in env values, command and args): `$(NAME)` is replaced when
 * `lookup` knows NAME, left verbatim otherwise; `$$` escapes to a literal `$`, so `$$(X)` yields `$(X)`.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1]!;
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) {
        // Unterminated reference: Kubernetes keeps it as written.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value === undefined ? input.slice(i, close + 1) : value;
      i = close + 1;
      continue;
    }
    // "$x" is not a reference: both characters are kept.
    out += c + next;
    i += 2;
  }
  return out;
}
