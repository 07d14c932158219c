import type { ObjectStore } from './store/object-store.js';
import { isObject } from './types.js';

/**
 * Hands out Service clusterIPs from 127.96.0.0/16: loopback, so the network proxy can listen on
 * them. Allocation scans stored Services, so restarts and deletions need no extra bookkeeping.
 */
export class ClusterIPAllocator {
  // A random start, as Kubernetes allocates at random: two kubesim clusters on one machine (tests
  // running side by side) must not hand out the same clusterIP:port and answer for each other.
  private next = 1 + Math.floor(Math.random() * 60_000);

  constructor(private readonly store: ObjectStore) {}

  private used(): Set<string> {
    const used = new Set<string>();
    for (const s of this.store.list('/services')) {
      const ip = isObject(s['spec']) ? s['spec']['clusterIP'] : undefined;
      if (typeof ip === 'string') used.add(ip);
    }
    return used;
  }

  /** Upstream's messages for a user-chosen clusterIP that cannot be allocated. */
  problem(ip: string): string | undefined {
    const m = ip.match(/^127\.96\.(\d{1,3})\.(\d{1,3})$/);
    if (!m || Number(m[1]) > 255 || Number(m[2]) > 255) {
      return `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is 127.96.0.0/16`;
    }
    return this.used().has(ip) ? `failed to allocate IP ${ip}: provided IP is already allocated` : undefined;
  }

  allocate(): string | undefined {
    const used = this.used();
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
