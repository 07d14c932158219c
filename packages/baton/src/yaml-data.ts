import type { Document } from 'yaml';
import { BatonError } from './errors.js';

/**
 * A parsed YAML document as plain data. Aliases that expand to more nodes than the yaml library
 * allows (the "billion laughs" attack, or a mistake) become an input error naming the file, not a
 * stack trace; nothing is expanded past the library's limit.
 */
export function yamlData(document: Document, where: string, code: 'SPEC_INVALID' | 'MANIFEST_INVALID'): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new BatonError(code, `${where}: YAML aliases expand to too many nodes (${error.message.toLowerCase()})`, {
        hint: 'write the values out instead of nesting aliases (&anchor / *alias)',
      });
    }
    throw error;
  }
}
