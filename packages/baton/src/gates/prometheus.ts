import { z } from 'zod';
import type { JsonObject } from '../json.js';
import type { Gate, GateVerdict } from './gate.js';
import { parseGateConfig, type GateEnv } from './gate-factory.js';
import { describeSample, queryPrometheus, type PromSample } from './prometheus-query.js';
import { checkTemplate, renderPrometheusQuery } from './prometheus-template.js';

const prometheusGateConfig = z
  .object({
    kind: z.literal('prometheus'),
    /** Base URL of the Prometheus HTTP API. */
    url: z.string().regex(/^https?:\/\//, 'must be an http:// or https:// URL'),
    /** PromQL; every value of the result is judged (a vector's series, a matrix's points). */
    query: z.string().min(1),
    /** Every value must lie within [min, max]; at least one bound. */
    thresholds: z
      .object({ min: z.number().optional(), max: z.number().optional() })
      .strict()
      .refine((t) => t.min !== undefined || t.max !== undefined, 'give min, max or both'),
    /** Fewer numeric values than this is inconclusive, never a pass. */
    minSamples: z.number().int().min(1).default(1),
    requestTimeoutMs: z.number().int().positive().default(5000),
    /** The release under test, for `{{ release.newSelector }}` and friends in the query (see prometheus-template). */
    release: z
      .object({
        version: z.string().min(1),
        previousVersions: z.array(z.string()).default([]),
        label: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name')
          .default('baton_dev_release'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PrometheusGateConfig = z.infer<typeof prometheusGateConfig>;

/**
 * Judges a PromQL query against thresholds. Only a result with at least `minSamples` numbers,
 * all within bounds, passes. No data, NaN, too few samples, an unreachable Prometheus or a query
 * error are `inconclusive` with the reason: a comparison against NaN or an empty result is false
 * in both directions, and treating that as "no threshold crossed" is how canary analysis passes
 * a release it never measured. The gate step's policy pauses on inconclusive by default.
 * Interval, count and failure limit are the gate step's (`intervalMs`, `count`, `failureLimit`).
 */
export function createPrometheusGate(config: JsonObject, _env?: GateEnv): Gate {
  const c = parseGateConfig('prometheus', prometheusGateConfig, config);
  // Refuse an unknown variable (or a release one without a release) when the gate is built.
  checkTemplate(c.query, c.release !== undefined);
  return {
    name: `prometheus ${c.query}`,
    async evaluate(ctx): Promise<GateVerdict> {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
      const query = renderPrometheusQuery(c.query, { release: c.release, app: ctx.app, namespace: ctx.namespace });
      const result = await queryPrometheus({ url: c.url, query, timeoutMs: c.requestTimeoutMs, signal: ctx.signal });
      if (result.kind !== 'ok') return { kind: 'inconclusive', reason: result.reason };
      return judgeSamples({ ...c, query }, result.samples);
    },
  };
}

/** The verdict over one query's values (pure; exported for `baton gc` and tests). */
export function judgeSamples(c: Pick<PrometheusGateConfig, 'thresholds' | 'minSamples' | 'query'>, samples: PromSample[]): GateVerdict {
  if (samples.length === 0) return { kind: 'inconclusive', reason: `no data for ${c.query}` };
  const nan = samples.filter((s) => Number.isNaN(s.value));
  if (nan.length > 0)
    return {
      kind: 'inconclusive',
      reason: `${nan.length} of ${samples.length} value(s) of ${c.query} are NaN (e.g. ${describeSample(nan[0]!)})`,
    };
  if (samples.length < c.minSamples) {
    return { kind: 'inconclusive', reason: `only ${samples.length} sample(s) of ${c.query} (need ${c.minSamples})` };
  }
  const { min, max } = c.thresholds;
  const out = samples.filter((s) => (max !== undefined && s.value > max) || (min !== undefined && s.value < min));
  if (out.length > 0) {
    const bounds = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    return {
      kind: 'fail',
      reason: `${out.length} of ${samples.length} value(s) of ${c.query} not ${bounds}: ${out.slice(0, 3).map(describeSample).join('; ')}`,
    };
  }
  return { kind: 'pass', detail: `${samples.length} sample(s) within bounds (${samples.slice(0, 3).map(describeSample).join('; ')})` };
}
