import type { ObjectStore } from './store/object-store.js';
import { isObject } from './types.js';

const min = 30000,
  max = 32767;

/**
 * NodePorts for NodePort/LoadBalancer Services from 30000-32767, as upstream's default range.
 * kubesim allocates and records them; nothing listens on them (see docs/apiserver.md).
 */
export class NodePortAllocator {
  private next = min;

  constructor(private readonly store: ObjectStore) {}

  private used(exceptUid?: string): Set<number> {
    const used = new Set<number>();
    for (const s of this.store.list('/services')) {
      if (exceptUid && s.metadata.uid === exceptUid) continue;
      const ports = isObject(s['spec']) && Array.isArray(s['spec']['ports']) ? s['spec']['ports'] : [];
      for (const p of ports) if (isObject(p) && typeof p['nodePort'] === 'number') used.add(p['nodePort']);
    }
    return used;
  }

  problem(port: number, exceptUid?: string): string | undefined {
    if (port < min || port > max) return `provided port is not in the valid range. The range of valid ports is ${min}-${max}`;
    return this.used(exceptUid).has(port) ? 'provided port is already allocated' : undefined;
  }

  allocate(taken: Set<number>): number | undefined {
    const used = this.used();
    for (let i = 0; i <= max - min; i++) {
      const p = min + ((this.next - min + i) % (max - min + 1));
      if (used.has(p) || taken.has(p)) continue;
      this.next = p + 1;
      return p;
    }
    return undefined;
  }
}
