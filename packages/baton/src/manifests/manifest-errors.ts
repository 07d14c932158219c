import { BatonError } from '../errors.js';

/** A manifest file that is not valid YAML/JSON. Code MANIFEST_PARSE; message starts with file:line:column. */
export class ManifestParseError extends BatonError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super('MANIFEST_PARSE', `${file}:${line}:${column}: ${reason}`, { hint: 'Fix the YAML/JSON syntax at that position.' });
    this.name = 'ManifestParseError';
  }
}

/** A document that parses but is not a Kubernetes object. Code MANIFEST_INVALID. */
export class ManifestInvalidError extends BatonError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super('MANIFEST_INVALID', `${file}:${line}: ${reason}`, {
      hint: 'Every document must be a Kubernetes object with apiVersion, kind and metadata.name (or a List of them).',
    });
    this.name = 'ManifestInvalidError';
  }
}
