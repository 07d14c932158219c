import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../json.js';
import type { RunContext } from '../../engine/step.js';
import { createTestRunContext } from '../../engine/testing/test-run-context.js';
import type { GateFactory } from '../gate-factory.js';
import type { GateVerdict } from '../gate.js';

/** A gate's config and the run context it is evaluated in (a probe, results of earlier steps). */
export interface GateSetup {
  config: JsonObject;
  context?: (signal: AbortSignal) => RunContext;
}

export interface GateContractCase {
  name: string;
  factory: GateFactory;
  /** Before the suite (start a server...); returns what `after` stops. */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  /** Something the gate can judge and that is good: it must pass. */
  passing: () => GateSetup;
  /** What the gate checks cannot be reached: fail or inconclusive, never pass. */
  unreachable: () => GateSetup;
  /** What it checks never answers (the gate would wait its own timeout). Or why there is no such case. */
  hanging: (() => GateSetup) | { skip: string };
  /** Too few samples to judge: inconclusive. Or a reason the gate has no notion of samples. */
  tooFewSamples: (() => GateSetup) | { skip: string };
}

function contextOf(setup: GateSetup, signal: AbortSignal): RunContext {
  return setup.context ? setup.context(signal) : createTestRunContext({ signal });
}

async function evaluate(c: GateContractCase, setup: GateSetup, signal = new AbortController().signal): Promise<GateVerdict> {
  return c.factory(setup.config, { startedAt: Date.now() - 60_000, stepId: 'contract' }).evaluate(contextOf(setup, signal));
}

/**
 * One suite every Gate implementation runs (like traffic/testing/router-contract.ts): a good
 * setup passes (so the rest is not vacuous), a cancelled run throws and never returns a verdict,
 * unreachable is fail or inconclusive and never pass, too few samples is inconclusive.
 */
export function describeGateContract(c: GateContractCase): void {
  describe(`gate contract: ${c.name}`, { timeout: 60_000 }, () => {
    if (c.before) test('set up', c.before);

    test('a good setup passes', async () => {
      const v = await evaluate(c, c.passing());
      assert.equal(v.kind, 'pass', JSON.stringify(v));
    });

    test('a cancelled run throws, never returns a verdict', async () => {
      const controller = new AbortController();
      controller.abort(new Error('run cancelled'));
      await assert.rejects(evaluate(c, c.passing(), controller.signal));
    });

    test('cancelled while it waits on what it checks: throws promptly', {
      skip: typeof c.hanging === 'function' ? false : c.hanging.skip,
    }, async () => {
      if (typeof c.hanging !== 'function') return;
      const controller = new AbortController();
      const started = Date.now();
      const pending = evaluate(c, c.hanging(), controller.signal);
      setTimeout(() => controller.abort(new Error('run cancelled')), 200);
      await assert.rejects(pending);
      assert.ok(Date.now() - started < 3000, `stopped ${Date.now() - started} ms after it started`);
    });

    test('unreachable is fail or inconclusive, never pass', async () => {
      const v = await evaluate(c, c.unreachable());
      assert.ok(v.kind === 'fail' || v.kind === 'inconclusive', JSON.stringify(v));
      assert.ok(v.reason.length > 0, 'says why');
    });

    const few = c.tooFewSamples;
    test('too few samples is inconclusive', { skip: typeof few === 'function' ? false : few.skip }, async () => {
      if (typeof few !== 'function') return;
      const v = await evaluate(c, few());
      assert.equal(v.kind, 'inconclusive', JSON.stringify(v));
    });

    if (c.after) test('tear down', c.after);
  });
}
