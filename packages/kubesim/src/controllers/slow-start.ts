/**
 * slowStartBatch: run `count` calls in batches of 1, 2, 4, ... and stop at the first batch with
 * a failure, so a bad template fails once instead of `count` times. Returns how many succeeded.
 */
export async function slowStartBatch(count: number, fn: () => Promise<void>, initialBatch = 1): Promise<number> {
  let remaining = count;
  let ok = 0;
  let batch = Math.min(remaining, initialBatch);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const good = results.filter((r) => r.status === 'fulfilled').length;
    ok += good;
    if (good < batch) return ok;
    remaining -= batch;
    batch = Math.min(remaining, batch * 2);
  }
  return ok;
}
