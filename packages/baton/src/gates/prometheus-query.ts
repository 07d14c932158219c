import { request } from 'undici';

/** One value of a query result: the series' labels and the number (NaN and ±Inf kept as such). */
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

/** What a PromQL query gave: the values, or why there are none. Never throws for these. */
export type PromQueryResult =
  | { kind: 'ok'; resultType: string; samples: PromSample[] }
  /** Prometheus could not be reached or answered something that is not its API. */
  | { kind: 'unreachable'; reason: string }
  /** Prometheus answered with an error (bad PromQL, execution error, timeout). */
  | { kind: 'error'; reason: string };

export interface PromQueryOptions {
  /** Base URL of Prometheus, e.g. http://127.0.0.1:9090 (a path prefix is kept). */
  url: string;
  query: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

type Point = [number, string];

/**
 * An instant query against the Prometheus HTTP API (`/api/v1/query`). Every value of the result
 * becomes a sample: one per series of a vector, every point of a matrix (`x[5m]`), the scalar.
 */
export async function queryPrometheus(o: PromQueryOptions): Promise<PromQueryResult> {
  const endpoint = `${o.url.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query: o.query }).toString()}`;
  let status: number;
  let text: string;
  try {
    const signals = [AbortSignal.timeout(o.timeoutMs ?? 5000), ...(o.signal ? [o.signal] : [])];
    const response = await request(endpoint, { method: 'GET', signal: AbortSignal.any(signals) });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    if (o.signal?.aborted) throw error;
    return {
      kind: 'unreachable',
      reason: `Prometheus at ${o.url} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  let body: ApiBody;
  try {
    body = JSON.parse(text) as ApiBody;
  } catch {
    return { kind: 'unreachable', reason: `${o.url} answered ${status} with something that is not the Prometheus API` };
  }
  if (body.status !== 'success') {
    return {
      kind: 'error',
      reason: `query ${JSON.stringify(o.query)} failed (${body.errorType ?? `status ${status}`}): ${body.error ?? 'no detail'}`,
    };
  }
  const resultType = body.data?.resultType ?? 'unknown';
  const result = body.data?.result;
  const samples: PromSample[] = [];
  if (resultType === 'scalar') samples.push({ labels: {}, value: toNumber((result as Point)[1]) });
  else if (resultType === 'vector') {
    for (const s of result as Array<{ metric: Record<string, string>; value: Point }>)
      samples.push({ labels: s.metric, value: toNumber(s.value[1]) });
  } else if (resultType === 'matrix') {
    for (const s of result as Array<{ metric: Record<string, string>; values: Point[] }>) {
      for (const p of s.values) samples.push({ labels: s.metric, value: toNumber(p[1]) });
    }
  } else {
    return { kind: 'error', reason: `query ${JSON.stringify(o.query)} returned a ${resultType}, not numbers` };
  }
  return { kind: 'ok', resultType, samples };
}

/** Prometheus writes numbers as strings: "1.5", "NaN", "+Inf", "-Inf". */
function toNumber(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text); // "NaN" -> NaN
}

/** `{release="v1"}`-style rendering of a sample's labels, for reasons. */
export function describeSample(s: PromSample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${labels ? `{${labels}} ` : ''}${s.value}`;
}
