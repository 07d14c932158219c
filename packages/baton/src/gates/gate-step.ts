import { z } from 'zod';
import type { JsonObject } from '../json.js';
import { BatonError } from '../errors.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../engine/step.js';
import type { GateFactory } from './gate-factory.js';
import type { StepTraffic } from '../report/step-traffic.js';
import { parseGateConfig } from './gate-factory.js';

const gateStepParams = z
  .object({
    /** The gate's own config; `kind` picks the factory. */
    gate: z.looseObject({ kind: z.string() }),
    /** Pause between evaluations. */
    intervalMs: z.number().int().min(0).default(10_000),
    /** Passing evaluations needed. */
    count: z.number().int().min(1).default(1),
    /** Failing evaluations tolerated; one more fails the step. */
    failureLimit: z.number().int().min(0).default(0),
    /** Without enough passes by then, the result is inconclusive (see `inconclusive`). */
    timeoutMs: z.number().int().positive().default(600_000),
    /** Default `pause`: a human decides. Never a silent pass. */
    inconclusive: z.enum(['pause', 'fail']).default('pause'),
  })
  .strict();

export type GateStepParams = z.infer<typeof gateStepParams>;

/** Parses a gate step's params (plan/ and `baton check` can call it ahead of a run). */
export function parseGateStepParams(params: JsonObject): GateStepParams {
  return parseGateConfig('gate step', gateStepParams, params);
}

/**
 * The `gate` StepKind: evaluates a gate every `intervalMs` until it passed `count` times
 * (done), failed more than `failureLimit` times (failed) or `timeoutMs` ran out (inconclusive:
 * paused for a human by default, or failed). `wait` verdicts retry after their `retryAfterMs`;
 * inconclusive verdicts are retried until the timeout, since traffic may still be arriving.
 * Nothing to undo: a gate only reads. Idempotent: a re-run starts counting afresh.
 */
export function createGateStepKind(options: { factories: Readonly<Record<string, GateFactory>> }): StepKind {
  return {
    kind: 'gate',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const p = parseGateStepParams(step.params);
      const factory = options.factories[p.gate.kind];
      if (factory === undefined) {
        throw new BatonError('GATE_INVALID', `step ${step.id}: no gate kind ${JSON.stringify(p.gate.kind)}`, {
          hint: `known gate kinds: ${Object.keys(options.factories).join(', ')}`,
        });
      }
      const startedAt = ctx.now();
      const gate = factory(p.gate as JsonObject, { startedAt, stepId: step.id });
      let traffic: StepTraffic | undefined;
      let lastJournaled: number | undefined;
      const withTraffic = (data: JsonObject): JsonObject => (traffic ? { ...data, traffic } : data);
      let passes = 0;
      let failures = 0;
      let evaluations = 0;
      let lastUnsettled = 'none';
      for (;;) {
        const verdict = await gate.evaluate(ctx);
        evaluations += 1;
        if (verdict.kind === 'skip') {
          // Nothing this gate could judge by design: say so, in the step and in the report.
          ctx.progress(`${gate.name}: skipped: ${verdict.reason}`);
          return {
            kind: 'done',
            summary: `skipped: ${verdict.reason}`,
            data: { gate: gate.name, skipped: verdict.reason, passes, failures, evaluations },
          };
        }
        if (verdict.kind !== 'wait' && verdict.traffic) {
          traffic = verdict.traffic;
          // `baton status --watch` reads the measured split while the gate runs: journal it now
          // and then (not every second: each checkpoint is an fsync'd journal write).
          if (lastJournaled === undefined || ctx.now() - lastJournaled >= 5000) {
            lastJournaled = ctx.now();
            await ctx.checkpoint({ traffic });
          }
        }
        let pauseMs = p.intervalMs;
        if (verdict.kind === 'pass') {
          passes += 1;
          ctx.progress(`${gate.name}: pass ${passes}/${p.count}${verdict.detail ? ` (${verdict.detail})` : ''}`, passes / p.count);
          if (passes >= p.count) {
            return {
              kind: 'done',
              ...(verdict.detail ? { summary: verdict.detail } : {}),
              data: withTraffic({ gate: gate.name, passes, failures, evaluations }),
            };
          }
        } else if (verdict.kind === 'fail') {
          failures += 1;
          ctx.progress(`${gate.name}: fail ${failures}/${p.failureLimit + 1}: ${verdict.reason}`);
          if (failures > p.failureLimit) {
            return {
              kind: 'failed',
              reason: `gate ${gate.name} failed: ${verdict.reason}`,
              data: withTraffic({ passes, failures, evaluations }),
            };
          }
        } else if (verdict.kind === 'inconclusive') {
          lastUnsettled = `inconclusive: ${verdict.reason}`;
          ctx.progress(`${gate.name}: ${lastUnsettled}`);
        } else {
          lastUnsettled = `waiting${verdict.reason ? `: ${verdict.reason}` : ''}`;
          pauseMs = verdict.retryAfterMs;
        }
        if (ctx.now() - startedAt + pauseMs > p.timeoutMs) {
          const reason = `gate ${gate.name} not settled within ${p.timeoutMs} ms (${passes}/${p.count} passes, ${failures} failures; last unsettled verdict: ${lastUnsettled})`;
          return p.inconclusive === 'fail' ? { kind: 'failed', reason } : { kind: 'paused', reason };
        }
        await ctx.delay(pauseMs);
      }
    },
  };
}
