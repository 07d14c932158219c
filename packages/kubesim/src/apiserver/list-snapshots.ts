import { randomBytes } from 'node:crypto';
import type { KubeObject } from './types.js';

interface Snapshot {
  items: KubeObject[];
  rv: string;
  expires: number;
}

/**
 * The rest of paginated lists (limit/continue): each page after the first comes from the state
 * the first page saw, as from etcd at the list's resourceVersion. Stored objects are never
 * mutated in place, so keeping references is a snapshot. Tokens expire (410 Expired afterwards,
 * like a compacted etcd revision); at most `max` lists are kept.
 */
export class ListSnapshots {
  private readonly snaps = new Map<string, Snapshot>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly max = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves the remaining items and returns the continue token for them. */
  save(items: KubeObject[], rv: string): string {
    const t = this.now();
    for (const [k, s] of this.snaps) if (s.expires < t) this.snaps.delete(k);
    while (this.snaps.size >= this.max) {
      const oldest = this.snaps.keys().next().value;
      if (oldest === undefined) break;
      this.snaps.delete(oldest);
    }
    const id = randomBytes(12).toString('hex');
    this.snaps.set(id, { items, rv, expires: t + this.ttlMs });
    return Buffer.from(JSON.stringify({ rv, id })).toString('base64url');
  }

  /** The items a token stands for; 'invalid' for a malformed token, undefined once expired. */
  take(token: string): { items: KubeObject[]; rv: string } | 'invalid' | undefined {
    let id: string;
    try {
      id = String((JSON.parse(Buffer.from(token, 'base64url').toString()) as { id?: unknown }).id ?? '');
    } catch {
      return 'invalid';
    }
    if (!id) return 'invalid';
    const s = this.snaps.get(id);
    if (!s || s.expires < this.now()) {
      this.snaps.delete(id);
      return undefined;
    }
    // Tokens stay valid until they expire, so a client may retry a page.
    return { items: s.items, rv: s.rv };
  }
}
