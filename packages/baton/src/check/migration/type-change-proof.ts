/** A type as `name` plus its modifiers: `varchar(20)` -> {name: 'varchar', mods: [20]}. */
interface TypeSpelling {
  name: string;
  mods: number[];
}

// format_type()'s spellings -> the parser's catalog names, for the types the proof knows.
const catalogNames: Record<string, string> = { 'character varying': 'varchar', character: 'bpchar' };

function spell(type: string): TypeSpelling | undefined {
  const match = /^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\(([\d\s,]+)\))?\s*$/i.exec(type);
  if (match === null) return undefined;
  const raw = (match[1] ?? '').toLowerCase().replace(/^pg_catalog\./, '');
  const mods = (match[2] ?? '')
    .split(',')
    .filter((m) => m.trim() !== '')
    .map(Number);
  return { name: catalogNames[raw] ?? raw, mods };
}

/**
 * True when PostgreSQL changes `liveType` (format_type's spelling, as the live schema reads it)
 * to `newType` (the migration's) without rewriting the table or scanning it, and every value the
 * running release reads keeps its type family: varchar growth, varchar to text or unbounded
 * varchar, text to unbounded varchar, numeric precision growth at the same scale (all
 * binary-coercible since PostgreSQL 9.2). Anything else, or an unknown spelling, is false.
 */
export function typeChangeNeedsNoRewrite(liveType: string, newType: string): boolean {
  const from = spell(liveType);
  const to = spell(newType);
  if (from === undefined || to === undefined) return false;
  const textual = new Set(['varchar', 'text']);
  if (textual.has(from.name) && textual.has(to.name)) {
    if (to.name === 'text' || to.mods.length === 0) return true;
    // varchar(n) -> varchar(m): no rewrite when m >= n; text -> varchar(m) must check every row.
    const fromLength = from.name === 'varchar' ? from.mods[0] : undefined;
    const toLength = to.mods[0];
    return fromLength !== undefined && toLength !== undefined && toLength >= fromLength;
  }
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods.length === 0) return true;
    const [fromPrecision, fromScale = 0] = from.mods;
    const [toPrecision, toScale = 0] = to.mods;
    return fromPrecision !== undefined && toPrecision !== undefined && toScale === fromScale && toPrecision >= fromPrecision;
  }
  return false;
}
