import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import type { ImageConfig } from './image-map.js';
import { expandVars } from './expand-vars.js';

/** The argv a container runs, as Docker and Kubernetes combine them. */
export function combineArgv(spec: { command?: string[]; args?: string[] }, image: ImageConfig): string[] {
  // Kubernetes: command replaces ENTRYPOINT (and drops CMD); args replace CMD.
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  if (spec.args && spec.args.length > 0) return [...(image.entrypoint ?? []), ...spec.args];
  return [...(image.entrypoint ?? []), ...(image.cmd ?? [])];
}

/** Expands `$(VAR)` in each argv element against the container's final environment. */
export function expandArgv(argv: string[], env: Record<string, string>): string[] {
  return argv.map((a) => expandVars(a, (n) => env[n]));
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves argv[0] as a container runtime would: a name with a slash is a path (relative to the
 * working dir), a bare name is looked up in PATH. Returns undefined when nothing executable is found.
 */
export function resolveExecutable(file: string, pathVar: string, cwd: string): string | undefined {
  if (file.includes('/')) {
    const p = isAbsolute(file) ? file : resolve(cwd, file);
    return isExecutableFile(p) ? p : undefined;
  }
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    const p = resolve(dir, file);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

/** The message runc gives for a missing executable; kubectl users know it from real clusters. */
export function notFoundMessage(file: string): string {
  return file.includes('/')
    ? `exec: "${file}": stat ${file}: no such file or directory`
    : `exec: "${file}": executable file not found in $PATH`;
}
