import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** What an image "is" in kubesim: how to start it, and which host directories form its filesystem. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** dirs prepended to PATH for the container and for exec'd commands: the image's "filesystem" */
  path?: string[];
}

/** Exact image reference (e.g. "demo/app:v2") -> its config. No tag defaulting: refs must match exactly. */
export type ImageMap = Record<string, ImageConfig>;

function fail(file: string, where: string, what: string): never {
  throw new Error(`image map ${file}: ${where}: ${what}`);
}

function stringList(file: string, where: string, v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(file, where, 'must be a list of strings');
  return v as string[];
}

// Relative references in the map mean "next to the map file", so a map can ship beside its apps.
function rel(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function isRelativePath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../');
}

/**
 * Reads `{images: {REF: ImageConfig}}` from YAML. `path` and `workingDir` entries that are
 * relative, and an entrypoint/cmd first element starting with ./ or ../, are resolved against
 * the file's directory. Throws an Error naming the file and the offending key.
 */
export async function loadImageMap(file: string): Promise<ImageMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`image map ${file}: cannot read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    fail(file, 'YAML', (e as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || !('images' in doc)) fail(file, 'top level', 'expected a mapping with key "images"');
  const images = (doc as { images: unknown }).images;
  if (typeof images !== 'object' || images === null || Array.isArray(images))
    fail(file, 'images', 'must be a mapping of image ref -> config');
  const base = dirname(resolve(file));
  const out: ImageMap = {};
  for (const [ref, raw] of Object.entries(images as Record<string, unknown>)) {
    const w = `images["${ref}"]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, w, 'must be a mapping');
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (!['entrypoint', 'cmd', 'env', 'workingDir', 'path'].includes(k))
        fail(file, `${w}.${k}`, 'unknown key (allowed: entrypoint, cmd, env, workingDir, path)');
    }
    const cfg: ImageConfig = {};
    const fixArgv = (a: string[] | undefined): string[] | undefined =>
      a && a.length > 0 && isRelativePath(a[0]!) ? [rel(base, a[0]!), ...a.slice(1)] : a;
    const entrypoint = fixArgv(stringList(file, `${w}.entrypoint`, r.entrypoint));
    const cmd = fixArgv(stringList(file, `${w}.cmd`, r.cmd));
    const path = stringList(file, `${w}.path`, r.path);
    if (entrypoint) cfg.entrypoint = entrypoint;
    if (cmd) cfg.cmd = cmd;
    if (path) cfg.path = path.map((p) => rel(base, p));
    if (r.workingDir !== undefined) {
      if (typeof r.workingDir !== 'string') fail(file, `${w}.workingDir`, 'must be a string');
      cfg.workingDir = rel(base, r.workingDir);
    }
    if (r.env !== undefined) {
      if (typeof r.env !== 'object' || r.env === null || Array.isArray(r.env)) fail(file, `${w}.env`, 'must be a mapping NAME: value');
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.env as Record<string, unknown>)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(file, `${w}.env.${k}`, 'must be a scalar');
        env[k] = String(v);
      }
      cfg.env = env;
    }
    out[ref] = cfg;
  }
  return out;
}
