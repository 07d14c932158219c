import { createHash } from 'node:crypto';

/** A stable signed 64-bit key (as a decimal string) for a lock name, for pg advisory locks. */
export function lockKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}
