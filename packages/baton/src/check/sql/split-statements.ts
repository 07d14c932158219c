/** A statement's text and its offset in the source. */
export interface StatementSlice {
  sql: string;
  offset: number;
}

/**
 * Splits SQL on `;` outside quotes and comments. Used for MySQL, whose parser gives no statement
 * positions; PostgreSQL statements come split, with positions, from libpg-query.
 */
export function splitStatements(text: string): StatementSlice[] {
  const slices: StatementSlice[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(text, i, c);
    } else if ((c === '-' && text[i + 1] === '-') || c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (c === ';') {
      slices.push({ sql: text.slice(start, i), offset: start });
      start = ++i;
    } else {
      i++;
    }
  }
  slices.push({ sql: text.slice(start), offset: start });
  return slices;
}

function skipQuoted(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
    } else if (text[i] === quote) {
      // A doubled quote is an escaped quote inside the literal.
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return i;
}
