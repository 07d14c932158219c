import { specJsonSchema } from '../../spec/json-schema.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';

export async function run(_options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  printJson(io, specJsonSchema());
  return exitCodes.ok;
}
