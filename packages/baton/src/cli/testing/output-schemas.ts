import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OutputKind } from '../io.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const ajv = new Ajv2020({ allErrors: true, strict: false });

/** The documented JSON Schema of one output kind (docs/json/KIND.schema.json). */
export function outputSchema(kind: OutputKind): object {
  return JSON.parse(readFileSync(join(repoRoot, 'docs/json', `${kind}.schema.json`), 'utf8')) as object;
}

/** Fails unless `document` is valid against the documented schema of `kind`. */
export function assertOutputKind(document: unknown, kind: OutputKind): void {
  const validate = ajv.getSchema(kind) ?? (ajv.addSchema(outputSchema(kind), kind), ajv.getSchema(kind));
  assert.ok(validate, `schema ${kind} compiles`);
  const ok = validate(document);
  assert.ok(ok, `output is not a valid ${kind}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(document).slice(0, 500)}`);
}
