/**
 * Resolves once `url` answered 2xx `inARow` times in a row (or after `timeoutMs`, returning false).
 * Ready pods are not yet a reachable Service: proxies learn endpoints a moment later, as
 * kube-proxy does. Measuring starts from a clean baseline this way.
 */
export async function waitUntilServed(
  url: string,
  options: { inARow?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const want = options.inARow ?? 5;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let streak = 0;
  while (Date.now() < deadline && !options.signal?.aborted) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      streak = response.ok ? streak + 1 : 0;
    } catch {
      streak = 0;
    }
    if (streak >= want) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
