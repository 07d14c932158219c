import { z } from 'zod';
import type { JsonObject } from '../json.js';

const stepTraffic = z.object({
  /** Weight set for unmatched traffic (0..100), or null (a route, a switch, a rollout). */
  weightSet: z.number().nullable(),
  /** A/B: the route whose requests were judged, e.g. "x-beta: yes" or "cookie beta=always". */
  route: z.string().nullable(),
  /** Which requests were judged: all, the routed (A/B) ones, or the unrouted ones. */
  segment: z.string(),
  /** The share (0..100) the new version should take of the judged requests. */
  expectedShare: z.number().nullable(),
  /** The share it took, measured over the judged window; null: nothing answered. */
  measuredShare: z.number().nullable(),
  /** The version label(s) taken as the new version. */
  newVersions: z.array(z.string()),
  /** New-version answers judged (the minimum-samples rule counts these). */
  answersJudged: z.number(),
  /** Failures counted against the new version: its own plus those no version can be named for. */
  failedJudged: z.number(),
  errorRate: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Requests sent in the judged window, every version. */
  requests: z.number(),
  byVersion: z.record(z.string(), z.object({ answers: z.number(), failed: z.number() })),
  /** When the change was made and when it measurably took effect (epoch ms); how that was measured. */
  changedAt: z.number(),
  settledAt: z.number().nullable(),
  settle: z.string(),
});

/**
 * What a gate measured about the traffic it judged, per step: the weight that was set, the share
 * the new version measurably took, and how many of the new version's own answers were judged.
 * Gates put it in their step's result data (`traffic`); the report, `baton status` and the JSON
 * outputs read it from there. Plain JSON.
 */
export type StepTraffic = z.infer<typeof stepTraffic>;

/** Reads a step's `traffic` data back; undefined when absent or not of this shape (older journals). */
export function stepTrafficOf(data: JsonObject | undefined): StepTraffic | undefined {
  const parsed = stepTraffic.safeParse(data?.traffic);
  return parsed.success ? parsed.data : undefined;
}
