/**
 * Hands out loopback pod IPs `PREFIX.x.y` (y 2..254, so no .0/.1/.255 lookalikes), unique among
 * live pods. Linux routes all of 127.0.0.0/8 to lo, so every address is bindable without setup.
 */
export class IpAllocator {
  private readonly used = new Set<string>();
  private cursor = 0;

  constructor(private readonly prefix: string) {
    if (!/^127\.\d{1,3}$/.test(prefix)) throw new Error(`podCidrPrefix must look like "127.N", got "${prefix}"`);
  }

  allocate(): string {
    const size = 256 * 253;
    for (let i = 0; i < size; i++) {
      const n = (this.cursor + i) % size;
      const ip = `${this.prefix}.${Math.floor(n / 253)}.${(n % 253) + 2}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        // Moving on instead of reusing at once keeps a just-freed IP (and its stale
        // connections / TIME_WAIT sockets) away from the next pod, as CNI IPAMs tend to.
        this.cursor = n + 1;
        return ip;
      }
    }
    throw new Error(`no free pod IPs left in ${this.prefix}.0.0/16`);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}
