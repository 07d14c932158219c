import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { yamlData } from '../yaml-data.js';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { BatonError } from '../errors.js';
import { specSchema, type BatonSpec } from './schema.js';
import { unpinnedReason } from './image-ref.js';

/** A validated spec plus where it came from, with every path made absolute. */
export interface LoadedSpec {
  spec: BatonSpec;
  file: string;
  dir: string;
  /** spec.manifests resolved against the spec's folder. */
  manifestPaths: string[];
  /** spec.database.migrations.dir resolved, if any. */
  migrationsDir: string | undefined;
}

export interface SpecProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** Loads and validates baton.yaml; every problem is reported with file:line and how to fix it. */
export async function loadSpec(file: string): Promise<LoadedSpec> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new BatonError('SPEC_NOT_FOUND', `cannot read ${absolute}: ${(error as Error).message}`, {
      cause: error,
      hint: 'pass the path of your baton.yaml with --spec, or run baton in the folder that has it',
    });
  }
  return parseSpec(text, absolute);
}

export function parseSpec(text: string, file: string): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lineCounter.linePos(first.pos[0]);
    throw new BatonError('SPEC_INVALID', `${file}:${pos.line}:${pos.col}: YAML syntax error: ${first.message.split('\n')[0]}`, {
      hint: 'fix the YAML syntax at that line (indentation, a missing colon or quote)',
    });
  }
  if (doc.contents === null) {
    throw new BatonError('SPEC_INVALID', `${file} is empty`, {
      hint: 'write apiVersion, kind, app, manifests and image in it (see examples/ or `baton schema`)',
    });
  }
  const result = specSchema.safeParse(yamlData(doc, file, 'SPEC_INVALID'));
  const problems: SpecProblem[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(problemAt(doc.contents, lineCounter, file, issue));
  } else {
    // Inputs live beside baton.yaml: a spec that reaches out of its folder (/etc/passwd,
    // ../../secrets) could make baton read, print or apply files nobody meant to hand it.
    const dir = dirname(file);
    result.data.manifests.forEach((path, index) => {
      if (!insideFolder(dir, path))
        problems.push(
          locate(
            doc.contents,
            lineCounter,
            file,
            ['manifests', index],
            `${JSON.stringify(path)} is outside the folder of baton.yaml; keep manifests beside it (or move baton.yaml up to a folder that contains them)`,
          ),
        );
    });
    const migrations = result.data.database?.migrations?.dir;
    if (migrations !== undefined && !insideFolder(dir, migrations)) {
      problems.push(
        locate(
          doc.contents,
          lineCounter,
          file,
          ['database', 'migrations', 'dir'],
          `${JSON.stringify(migrations)} is outside the folder of baton.yaml; keep migrations beside it`,
        ),
      );
    }
    const reason = unpinnedReason(result.data.image.ref);
    if (reason !== undefined && !result.data.image.allowUnpinned) {
      problems.push(
        locate(
          doc.contents,
          lineCounter,
          file,
          ['image', 'ref'],
          `${reason}; pin a version (e.g. myapp:1.13.8) or set image.allowUnpinned: true`,
        ),
      );
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.file}:${p.line}:${p.column} ${p.path || '(root)'}: ${p.message}`);
    throw new BatonError(
      'SPEC_INVALID',
      `baton.yaml is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      {
        hint: 'fix each field above; `baton schema` prints the JSON Schema for your editor',
      },
    );
  }
  const spec = result.data!;
  const dir = dirname(file);
  return {
    spec,
    file,
    dir,
    manifestPaths: spec.manifests.map((m) => resolve(dir, m)),
    migrationsDir: spec.database?.migrations ? resolve(dir, spec.database.migrations.dir) : undefined,
  };
}

function problemAt(root: unknown, lc: LineCounter, file: string, issue: z.core.$ZodIssue): SpecProblem {
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    // Point at the first unknown key itself, not at the object that holds it.
    const where = locate(root, lc, file, [...issue.path, issue.keys[0]!], '');
    return {
      ...where,
      path: issue.path.map(String).join('.'),
      message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove or correct the spelling`,
    };
  }
  if (issue.code === 'invalid_type' && message.includes('received undefined')) message = `required field is missing (${issue.expected})`;
  return locate(root, lc, file, issue.path, message);
}

/** The deepest YAML node on `path` that exists, so a missing field points at its parent. */
function locate(root: unknown, lc: LineCounter, file: string, path: readonly PropertyKey[], message: string): SpecProblem {
  let node = root as YamlNode | null | undefined;
  let offset = node?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value as YamlNode;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  const pos = lc.linePos(offset);
  return { file, line: pos.line, column: pos.col, path: path.map(String).join('.'), message };
}

/** True when `path`, relative to `dir`, names `dir` itself or something below it. */
function insideFolder(dir: string, path: string): boolean {
  const rel = relative(dir, resolve(dir, path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
