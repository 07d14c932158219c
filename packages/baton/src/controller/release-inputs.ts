import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { LoadedSpec } from '../spec/load-spec.js';
import type { JsonObject } from '../json.js';
import { appLabel, type InputsRef } from './release.js';

/** Files keyed by their path relative to the spec's folder (POSIX separators). */
export type InputFiles = Record<string, string>;

interface InputsConfigMap extends KubeObject {
  data?: { 'files.json'?: string };
}

/** Stays well under the 1 MiB object limit once the ConfigMap's envelope is added. */
const chunkBytes = 900 * 1024;

/** Reads every file a loaded spec names: the manifests (files or folders) and the migrations folder. */
export async function collectInputs(loaded: LoadedSpec): Promise<InputFiles> {
  const files: InputFiles = {};
  const add = async (path: string, filter: (name: string) => boolean): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      throw new BatonError('MANIFEST_PATH', `${path} (named in ${loaded.file}) does not exist`, { hint: 'correct the path in baton.yaml' });
    }
    if (!info.isDirectory()) {
      files[relative(loaded.dir, path).split(sep).join('/')] = await readFile(path, 'utf8');
      return;
    }
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      if (entry.isDirectory() || filter(entry.name)) await add(full, filter);
    }
  };
  for (const path of loaded.manifestPaths) await add(path, (name) => /\.(ya?ml|json)$/i.test(name));
  if (loaded.migrationsDir !== undefined) await add(loaded.migrationsDir, () => true);
  return files;
}

/**
 * Packs files into immutable ConfigMaps named by their content hash (`baton-inputs-<app>-<hash>`),
 * split when larger than one object may be. The same files always give the same names, so
 * creating them again is harmless and a Release can never point at changed content.
 */
export function inputConfigMaps(app: string, namespace: string, files: InputFiles): { objects: KubeObject[]; refs: InputsRef[] } {
  const chunks: InputFiles[] = [];
  let current: InputFiles = {};
  let size = 0;
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const bytes = Buffer.byteLength(text) + Buffer.byteLength(path) + 8;
    if (bytes > chunkBytes)
      throw new BatonError('INPUT_TOO_LARGE', `${path} is ${bytes} bytes: too large for a ConfigMap`, {
        hint: 'split the file, or run the upgrade from the CLI (without --in-cluster)',
      });
    if (size + bytes > chunkBytes && size > 0) {
      chunks.push(current);
      current = {};
      size = 0;
    }
    current[path] = text;
    size += bytes;
  }
  chunks.push(current);
  const objects: KubeObject[] = [];
  const refs: InputsRef[] = [];
  for (const chunk of chunks) {
    const body = JSON.stringify(chunk);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const name = `baton-inputs-${app}-${sha256.slice(0, 16)}`.slice(0, 253);
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels: { [appLabel]: app, 'app.kubernetes.io/managed-by': 'baton' } },
      immutable: true,
      data: { 'files.json': body },
    });
    refs.push({ configMap: name, sha256 });
  }
  return { objects, refs };
}

/**
 * Writes a Release's spec and input files into a fresh folder and returns the baton.yaml path, so
 * the controller loads and plans exactly as the CLI does (same loader, same messages). Every
 * ConfigMap's content is checked against the hash the Release names before it is used.
 */
export async function materializeInputs(
  kube: KubeClient,
  namespace: string,
  upgrade: JsonObject,
  refs: readonly InputsRef[],
): Promise<string> {
  const files: InputFiles = {};
  for (const ref of refs) {
    const cm = await kube.get<InputsConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name: ref.configMap, namespace });
    if (cm === undefined)
      throw new BatonError('INPUTS_MISSING', `ConfigMap ${namespace}/${ref.configMap} named in spec.inputs does not exist`, {
        hint: 'create the Release with baton upgrade --in-cluster, which writes its inputs first',
      });
    const body = cm.data?.['files.json'] ?? '';
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== ref.sha256)
      throw new BatonError(
        'INPUTS_CHANGED',
        `ConfigMap ${namespace}/${ref.configMap} does not match its sha256 in spec.inputs (${actual.slice(0, 12)} != ${ref.sha256.slice(0, 12)})`,
        { hint: 'inputs are immutable: pack them again with baton upgrade --in-cluster' },
      );
    Object.assign(files, JSON.parse(body) as InputFiles);
  }
  const root = await mkdtemp(join(tmpdir(), 'baton-release-'));
  // Paths may climb out of the spec's folder (manifests: [../k8s]): nest the spec deep enough.
  const depth = Math.max(0, ...Object.keys(files).map((p) => (/^(\.\.\/)+/.exec(p)?.[0].length ?? 0) / 3));
  const specDir = join(root, ...Array.from({ length: depth + 1 }, (_, i) => `d${i}`));
  for (const [path, text] of Object.entries(files)) {
    const target = resolve(specDir, path);
    if (!target.startsWith(root + sep)) throw new BatonError('INPUTS_INVALID', `input path ${path} leaves the Release's folder`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  await mkdir(specDir, { recursive: true });
  const specPath = join(specDir, 'baton.yaml');
  await writeFile(specPath, stringify(upgrade));
  return specPath;
}
