/** A 1-based line and column in a source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The 1-based line/column of a character offset (UTF-16 code units) in `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Skips whitespace and SQL comments from `offset`: parsers report a statement as starting right
 * after the previous `;`, but a finding should point at the statement's first keyword.
 */
export function skipTrivia(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (c === '#' ) {
      // MySQL line comment; harmless for PostgreSQL since a statement never starts with '#'.
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else {
      break;
    }
  }
  return i;
}
