import type { ObjectStore } from './store/object-store.js';
import { isObject } from './types.js';

/**
 * Hands out Service clusterIPs from 127.96.0.0/16: loopback, so the network proxy can listen on
 * them. Allocation scans stored Services, so restarts and deletions need no extra bookkeeping.
 */
export class ClusterIPAllocator {
  private next = 1;

  constructor(private readonly store: ObjectStore) {}

  allocate(): string | undefined {
    const used = new Set<string>();
    for (const s of this.store.list('/services')) {
      const ip = isObject(s['spec']) ? s['spec']['clusterIP'] : undefined;
      if (typeof ip === 'string') used.add(ip);
    }
    // Skip .0.0 and the first address (.0.1 is conventionally the kubernetes Service).
    for (let i = 0; i < 65534; i++) {
      const n = ((this.next + i - 1) % 65533) + 2;
      const ip = `127.96.${n >> 8}.${n & 255}`;
      if ((n & 255) === 0 || (n & 255) === 255 || used.has(ip)) continue;
      this.next = n + 1;
      return ip;
    }
    return undefined;
  }
}
