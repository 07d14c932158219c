import { readFileSync } from 'node:fs';

/** IPv4 addresses that have a socket bound on this host (from /proc/net/tcp and udp). */
export function boundAddresses(): Set<string> {
  const out = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/udp']) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    // Lines look like "  12: 0200F47F:1F90 ...": the local address is the 8 hex digits after
    // the first ": " (little-endian, so "0200F47F" is 127.244.0.2). Only 127.x matters here.
    let at = text.indexOf('\n') + 1;
    while (at > 0 && at < text.length) {
      const colon = text.indexOf(': ', at);
      if (colon < 0) break;
      const hex = text.slice(colon + 2, colon + 10);
      if (hex.endsWith('7F'))
        out.add(`127.${parseInt(hex.slice(4, 6), 16)}.${parseInt(hex.slice(2, 4), 16)}.${parseInt(hex.slice(0, 2), 16)}`);
      at = text.indexOf('\n', colon) + 1;
    }
  }
  return out;
}

/**
 * Hands out loopback pod IPs `PREFIX.x.y` (y 2..254), unique among live pods. Linux routes all
 * of 127.0.0.0/8 to lo, so every address is bindable without setup. Several kubelets (other
 * test runs, other kubesims) may share the host, so the search starts at a random point and
 * skips addresses that already have sockets bound on them.
 */
export class IpAllocator {
  private readonly used = new Set<string>();
  private cursor: number;
  private static readonly size = 256 * 253;

  constructor(
    private readonly prefix: string,
    private readonly inUse: () => Set<string> = boundAddresses,
    random: () => number = Math.random,
  ) {
    if (!/^127\.\d{1,3}$/.test(prefix)) throw new Error(`podCidrPrefix must look like "127.N", got "${prefix}"`);
    this.cursor = Math.floor(random() * IpAllocator.size);
  }

  private busy: { at: number; set: Set<string> } | undefined;

  allocate(): string {
    // The host's socket table can be large (every test run on the machine): read it at most
    // once a second; addresses handed out meanwhile are in `used` anyway.
    const now = Date.now();
    if (!this.busy || now - this.busy.at > 1000) this.busy = { at: now, set: this.inUse() };
    const busy = this.busy.set;
    for (let i = 0; i < IpAllocator.size; i++) {
      const n = (this.cursor + i) % IpAllocator.size;
      const ip = `${this.prefix}.${Math.floor(n / 253)}.${(n % 253) + 2}`;
      if (this.used.has(ip) || busy.has(ip)) continue;
      this.used.add(ip);
      // Moving on instead of reusing at once keeps a just-freed IP (and its TIME_WAIT
      // sockets) away from the next pod, as CNI IPAMs tend to.
      this.cursor = n + 1;
      return ip;
    }
    throw new Error(`no free pod IPs left in ${this.prefix}.0.0/16`);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}
