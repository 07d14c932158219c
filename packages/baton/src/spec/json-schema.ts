import { z } from 'zod';
import { specSchema } from './schema.js';

/** The JSON Schema of baton.yaml, for editors (yaml-language-server) and other tools. */
export function specJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
