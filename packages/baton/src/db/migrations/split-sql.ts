/**
 * Splits a SQL script into statements at top-level semicolons, skipping those inside quotes,
 * comments and postgres dollar-quoted bodies. Each statement runs on its own so that
 * CREATE INDEX CONCURRENTLY (which refuses multi-statement strings) and per-statement retries work.
 */
export function splitSql(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(script, i, c);
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i));
      if (tag) {
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else i++;
    } else if (c === ';') {
      push(out, script.slice(start, i));
      start = ++i;
    } else i++;
  }
  push(out, script.slice(start));
  return out;
}

function skipQuoted(script: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < script.length) {
    if (script[i] === '\\' && quote === "'")
      i += 2; // MySQL-style escapes; harmless for standard strings
    else if (script[i] === quote) {
      if (script[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

function push(out: string[], statement: string): void {
  if (stripComments(statement).trim() !== '') out.push(statement.trim());
}

/** The statement without -- and /* *\/ comments (string contents untouched is not needed here). */
export function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}
