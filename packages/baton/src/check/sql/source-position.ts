/** A 1-based line and column in a source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The 1-based line/column of a character offset (UTF-16 code units) in `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  return positionIndex(text)(offset);
}

/**
 * A lookup from offsets to positions for one text: the line starts are found once, then each
 * lookup is a binary search (a migration of thousands of statements stays linear).
 */
export function positionIndex(text: string): (offset: number) => SourcePosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    const end = Math.min(Math.max(offset, 0), text.length);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= end) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: end - (starts[low] ?? 0) + 1 };
  };
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
    } else if (c === '#') {
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
