import { readFile, stat } from 'node:fs/promises';
import { BatonError } from '../../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of one migration file. A folder named like a migration and bytes that are not UTF-8
 * are refused (exit 2) naming the file: decoding them leniently would apply U+FFFD where the
 * author wrote something else.
 */
export async function readMigrationText(file: string): Promise<string> {
  if ((await stat(file)).isDirectory()) {
    throw new BatonError('MIGRATION_NOT_A_FILE', `${file} is a folder, not a migration file`, {
      hint: 'move or rename it: every *.sql entry of the migrations folder must be a file',
    });
  }
  const bytes = await readFile(file);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BatonError('MIGRATION_ENCODING', `${file}:${firstBadLine(bytes)}: not valid UTF-8`, {
      hint: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    });
  }
}

/** 1-based line of the first byte sequence that is not UTF-8. */
function firstBadLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      utf8.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line += 1;
    start = i + 1;
  }
  return line;
}
