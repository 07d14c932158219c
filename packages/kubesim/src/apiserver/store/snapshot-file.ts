import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../types.js';
import type { ObjectStore } from './object-store.js';

export interface Snapshot {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

const fileName = 'kubesim-state.json';

/** Reads the last snapshot in `dir`, or undefined if there is none. */
export async function readSnapshot(dir: string): Promise<Snapshot | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, fileName), 'utf8')) as Snapshot;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Atomic write: temp file, fsync, rename over the old one, fsync the directory. */
export async function writeSnapshot(dir: string, s: Snapshot): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${fileName}.${process.pid}.tmp`);
  // The snapshot holds Secrets: owner-only, as etcd's data directory is.
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(s));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, fileName));
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Writes the store to `dir` after changes, at most once per `debounceMs`, and once more on
 * flush(). Writes never overlap: a change during a write schedules another.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly dir: string,
    private readonly debounceMs = 100,
  ) {
    this.unsubscribe = store.subscribe(() => this.schedule());
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.debounceMs);
  }

  private write(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      await writeSnapshot(this.dir, this.store.snapshot());
    });
    return this.writing;
  }

  /** Stops listening and writes any pending change. */
  async close(): Promise<void> {
    this.unsubscribe();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.write();
  }
}
