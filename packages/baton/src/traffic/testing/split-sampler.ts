import { Agent, request } from 'node:http';

export interface SplitSample {
  total: number;
  failed: number;
  byVersion: Record<string, number>;
}

/**
 * Sends `count` GETs to an ingress URL with a Host header (and optional headers), `concurrency`
 * at a time over keep-alive connections, and counts who answered by the x-app-version header.
 */
export async function sampleSplit(o: {
  url: string;
  host: string;
  count: number;
  headers?: Record<string, string>;
  concurrency?: number;
  path?: string;
}): Promise<SplitSample> {
  const target = new URL(o.path ?? '/', o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency ?? 16 });
  const sample: SplitSample = { total: 0, failed: 0, byVersion: {} };
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request(target, { agent, headers: { host: o.host, ...o.headers }, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          sample.total += 1;
          if ((res.statusCode ?? 0) >= 500) sample.failed += 1;
          const version = String(res.headers['x-app-version'] ?? `status-${res.statusCode}`);
          sample.byVersion[version] = (sample.byVersion[version] ?? 0) + 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        sample.total += 1;
        sample.failed += 1;
        sample.byVersion.error = (sample.byVersion.error ?? 0) + 1;
        resolve();
      });
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (next < o.count) {
      next += 1;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency ?? 16 }, worker));
  } finally {
    agent.destroy();
  }
  return sample;
}

/** Percentage of the sample answered by `version`. */
export function shareOf(sample: SplitSample, version: string): number {
  return sample.total === 0 ? 0 : ((sample.byVersion[version] ?? 0) / sample.total) * 100;
}
