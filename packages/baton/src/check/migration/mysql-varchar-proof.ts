import type { LiveColumn, LiveTable } from '../../db/schema/live-schema.js';
import type { RestatedColumn } from './operation.js';

/** InnoDB stores a VARCHAR's length in 1 byte up to 255 bytes of data, in 2 beyond. */
const oneBytePrefixMax = 255;

/**
 * True when InnoDB grows `live` (a VARCHAR) to the restated definition without copying the table
 * (MariaDB 10.4+: ALGORITHM=INSTANT; MySQL 5.7+ and older MariaDB: INPLACE, LOCK=NONE): an InnoDB
 * table, VARCHAR to a VARCHAR at least as long, the length prefix the same size (the maximum
 * byte length, characters x the character set's bytes per character, stays <= 255 or was already
 * > 255), the same character set and collation (a MODIFY without COLLATE takes the table's
 * default), the same nullability, and the same DEFAULT (a MODIFY without one drops it). Anything
 * else, or a part the live schema or the parser does not spell, is false: MariaDB then copies,
 * or baton cannot tell.
 */
export function varcharGrowsInPlace(table: LiveTable, live: LiveColumn, newType: string, restated: RestatedColumn): boolean {
  if (table.storage === undefined || table.storage.engine.toLowerCase() !== 'innodb') return false;
  const oldChars = Number(/^varchar\((\d+)\)$/i.exec(live.type.trim())?.[1] ?? Number.NaN);
  const newChars = restated.length;
  if (newType.toLowerCase() !== 'varchar' || !Number.isInteger(oldChars) || newChars === undefined || newChars < oldChars) return false;
  const characters = live.characters;
  if (characters === undefined || oldChars === 0) return false;
  // A CHARACTER SET without COLLATE takes that set's default collation, which the live schema does not hold.
  if (restated.characterSet !== undefined && restated.characterSet !== characters.set.toLowerCase()) return false;
  const collation = restated.collation ?? (restated.characterSet === undefined ? table.storage.defaultCollation : undefined);
  if (collation === undefined || collation.toLowerCase() !== characters.collation.toLowerCase()) return false;
  if (restated.notNull === live.nullable) return false;
  if (restated.default !== (live.default ?? 'none')) return false;
  const bytesPerChar = characters.maxBytes / oldChars;
  const oldBytes = characters.maxBytes;
  const newBytes = newChars * bytesPerChar;
  return oldBytes > oneBytePrefixMax || newBytes <= oneBytePrefixMax;
}
