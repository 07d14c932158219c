import { chmod, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One file of a volume: path relative to the volume root, content, permission bits. */
export interface VolumeFile {
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * Writes a volume's files the way the kubelet's AtomicWriter does: into a fresh timestamped
 * directory, then one rename of the `..data` symlink switches every file at once; each visible
 * file is a symlink `NAME -> ..data/NAME`. Readers (inside or outside the pod) never see a mix of
 * old and new content, and a token refresh is one atomic step.
 */
export async function writeAtomically(dir: string, files: VolumeFile[]): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const stamp = `..${new Date().toISOString().replace(/[-:]/g, '_').replace('T', '_').replace('Z', '')}.${Math.random().toString(36).slice(2, 8)}`;
  const target = join(dir, stamp);
  await mkdir(target, { mode: 0o755 });
  for (const f of files) {
    const full = join(target, f.path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, f.content, { mode: f.mode });
    await chmod(full, f.mode); // writeFile's mode is filtered by the umask
  }
  let previous: string | undefined;
  try {
    previous = await readlink(join(dir, '..data'));
  } catch {
    /* first write */
  }
  const tmpLink = join(dir, '..data_tmp');
  await rm(tmpLink, { force: true });
  await symlink(stamp, tmpLink);
  await rename(tmpLink, join(dir, '..data'));
  const top = new Set(files.map((f) => f.path.split('/')[0]!));
  for (const name of top) {
    const link = join(dir, name);
    try {
      if ((await readlink(link)) === join('..data', name)) continue;
    } catch {
      /* missing */
    }
    await rm(link, { recursive: true, force: true });
    await symlink(join('..data', name), link);
  }
  // Files that are no longer part of the volume disappear, as the kubelet prunes them.
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') || top.has(entry)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
  if (previous && previous !== stamp) await rm(join(dir, previous), { recursive: true, force: true });
}
