import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { BatonError } from '../errors.js';
import { yamlData } from '../yaml-data.js';
import type { KubeObject } from './kube-object.js';
import type { LoadedManifest } from './loaded-manifest.js';
import { ManifestInvalidError, ManifestParseError } from './manifest-errors.js';

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/**
 * Loads Kubernetes objects from files and directories (recursively: *.yaml, *.yml, *.json, in
 * name order). Multi-document YAML and JSON (a YAML subset) are read by the same parser; empty
 * documents are skipped and `kind: *List` objects are flattened into their items. Throws
 * ManifestParseError (MANIFEST_PARSE, file:line:column) for bad syntax, ManifestInvalidError
 * (MANIFEST_INVALID) for a document that is not an object with apiVersion/kind/metadata.name,
 * and BatonError MANIFEST_PATH for a path that does not exist.
 */
export async function loadManifests(paths: readonly string[]): Promise<LoadedManifest[]> {
  const loaded: LoadedManifest[] = [];
  for (const path of paths) {
    for (const file of await manifestFiles(path)) loaded.push(...parseManifestText(await readFile(file, 'utf8'), file));
  }
  return loaded;
}

async function manifestFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new BatonError('MANIFEST_PATH', `manifest path ${path} does not exist`, {
      cause,
      hint: 'Check the manifests paths in baton.yaml or on the command line.',
    });
  }
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestFiles(full)));
    else if (manifestExtensions.has(extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

/** Parses one file's text (exported for tests and for callers holding text, not files). */
export function parseManifestText(text: string, file: string): LoadedManifest[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  const loaded: LoadedManifest[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error !== undefined) {
      const at = lineCounter.linePos(error.pos[0]);
      throw new ManifestParseError(file, at.line, at.col, error.message.split('\n')[0] ?? error.message);
    }
    if (document.contents === null) continue;
    const value: unknown = yamlData(document, `${file}:${lineCounter.linePos(document.range[0]).line}`, 'MANIFEST_INVALID');
    const lineOf = (path: readonly (string | number)[]): number => pathLine(document, lineCounter, path);
    if (value === null || value === undefined) continue;
    for (const { object, prefix } of flatten(value, file, lineOf)) {
      loaded.push({ object, file, line: lineOf(prefix), pathLine: (path) => lineOf([...prefix, ...path]) });
    }
  }
  return loaded;
}

function flatten(
  value: unknown,
  file: string,
  lineOf: (path: readonly (string | number)[]) => number,
): { object: KubeObject; prefix: (string | number)[] }[] {
  const object = asKubeObject(value, file, lineOf([]));
  const items = object['items'];
  if (object.kind.endsWith('List') && Array.isArray(items)) {
    return items.map((item, index) => ({ object: asKubeObject(item, file, lineOf(['items', index])), prefix: ['items', index] }));
  }
  return [{ object, prefix: [] }];
}

function asKubeObject(value: unknown, file: string, line: number): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ManifestInvalidError(file, line, 'document is not a mapping');
  const record = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((key) => typeof record[key] !== 'string' || record[key] === '');
  if (missing.length > 0) throw new ManifestInvalidError(file, line, `document has no ${missing.join(' or ')}`);
  const kind = record['kind'] as string;
  const metadata = record['metadata'];
  const isList = kind.endsWith('List') && Array.isArray(record['items']);
  if (!isList) {
    const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['name'] : undefined;
    if (typeof name !== 'string' || name === '') throw new ManifestInvalidError(file, line, `${kind} has no metadata.name`);
  }
  return (isList && metadata === undefined ? { ...record, metadata: { name: '' } } : record) as KubeObject;
}

/**
 * The line of the deepest field on `path` that exists: for a map entry the line of its key (so
 * `strategy:` rather than the first line inside it), for a sequence item the line of the item.
 */
function pathLine(document: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number {
  let node: unknown = document.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      offset = isNode(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset).line;
}
