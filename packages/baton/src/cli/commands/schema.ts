import { specJsonSchema } from '../../spec/json-schema.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';

export async function run(_options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  // A JSON Schema document, as editors expect it: the one JSON output without apiVersion/kind.
  io.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
  return exitCodes.ok;
}
