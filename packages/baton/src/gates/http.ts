import { request } from 'undici';
import { z } from 'zod';
import type { JsonObject, JsonValue } from '../json.js';
import type { RunContext } from '../engine/step.js';
import type { Gate, GateVerdict } from './gate.js';
import { parseGateConfig } from './gate-factory.js';
import type { GateEnv } from './gate-factory.js';

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const httpGateConfig = z
  .object({
    kind: z.literal('http'),
    url: z.string().regex(/^https?:\/\//, 'must be an http:// or https:// URL'),
    /** Accepted statuses; default: any 2xx. */
    expectStatus: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
    /** A field of the JSON body that must equal a value, e.g. {path: "status", equals: "ok"}. */
    json: z
      .object({ path: z.string().min(1), equals: jsonValue })
      .strict()
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    requestTimeoutMs: z.number().int().positive().default(5000),
  })
  .strict();

export type HttpGateConfig = z.infer<typeof httpGateConfig>;

/**
 * GETs a URL: passes when the status is expected (and the JSON field equals the value). A
 * connection error, a timeout or an unexpected answer is a `fail` with the reason: a gate that
 * cannot reach what it checks must not let the release through.
 */
export function createHttpGate(config: JsonObject, _env?: GateEnv): Gate {
  const c = parseGateConfig('http', httpGateConfig, config);
  return {
    name: `http ${c.url}`,
    evaluate: (ctx) => evaluate(c, ctx),
  };
}

async function evaluate(c: HttpGateConfig, ctx: RunContext): Promise<GateVerdict> {
  let status: number;
  let text: string;
  try {
    const response = await request(c.url, {
      method: 'GET',
      headers: c.headers ?? {},
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(c.requestTimeoutMs)]),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    // Cancellation of the run is not a verdict: let the step stop.
    if (ctx.signal.aborted) throw error;
    return { kind: 'fail', reason: `GET ${c.url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const expected = c.expectStatus === undefined ? undefined : [c.expectStatus].flat();
  const statusOk = expected === undefined ? status >= 200 && status < 300 : expected.includes(status);
  if (!statusOk) {
    return { kind: 'fail', reason: `GET ${c.url}: status ${status}, expected ${expected?.join(' or ') ?? '2xx'}` };
  }
  if (c.json === undefined) return { kind: 'pass', detail: `status ${status}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'fail', reason: `GET ${c.url}: body is not JSON` };
  }
  const actual = fieldAt(body, c.json.path);
  if (!deepEqual(actual, c.json.equals)) {
    return {
      kind: 'fail',
      reason: `GET ${c.url}: ${c.json.path} is ${JSON.stringify(actual) ?? 'missing'}, expected ${JSON.stringify(c.json.equals)}`,
    };
  }
  return { kind: 'pass', detail: `status ${status}, ${c.json.path} = ${JSON.stringify(actual)}` };
}

/** `a.b.0.c` into nested objects and arrays; undefined when absent. */
function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
