import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadManifests } from '../../manifests/load-manifests.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { observe } from '../../plan/observe.js';
import { summarize } from '../../report/summarize.js';
import { loadSpec } from '../../spec/load-spec.js';
import { readHistory } from '../../strategies/steps/release-history.js';
import type { DeploymentLike } from '../../strategies/workload.js';
import { planRollback } from '../../upgrade/rollback-plan.js';
import { planRainbowRollback } from '../../strategies/rainbow-rollback.js';
import { runUpgrade } from '../../upgrade/run-upgrade.js';
import { formatPlan } from '../format-plan.js';
import type { CliIO } from '../io.js';
import { commandContext } from './context.js';
import { finishWith } from './outcome.js';

/** `baton rollback`: back to the previous release (or --to VERSION), under the probe, journaled. */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const loaded = await loadSpec(resolve(io.cwd, options.spec as string)); // bad input first, before any connection
  const ctx = commandContext(options, io);
  const manifests = (await loadManifests(loaded.manifestPaths)).map((m) => m.object as KubeObject);
  await ctx.kube.version();
  const live = await observe(ctx.kube, loaded.spec, manifests);
  const history = await readHistory(ctx.kube, loaded.spec.namespace, loaded.spec.app);
  const names = new Set(history.map((h) => h.deployment));
  const liveByName: Record<string, DeploymentLike | undefined> = {};
  for (const name of names) liveByName[name] = await ctx.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: loaded.spec.namespace });
  // Rainbow: the release rolled back from keeps running (its tasks finish there); only the switch moves.
  const plan = loaded.spec.strategy.kind === 'rainbow' ? planRainbowRollback({
    app: loaded.spec.app, namespace: loaded.spec.namespace, history, live: liveByName, ...(options.to ? { to: options.to as string } : {}),
  }) : planRollback({
    app: loaded.spec.app, namespace: loaded.spec.namespace, history, live: liveByName,
    ...(options.to ? { to: options.to as string } : {}), scaleDownDelaySeconds: loaded.spec.strategy.blueGreen.scaleDownDelaySeconds,
  });
  if (!json) io.stderr.write(formatPlan(plan));
  const result = await runUpgrade({
    prepared: { loaded, manifests, live, plan }, engine: ctx.engine, stateDir: ctx.stateDir, probe: options.probe !== false,
    onNotice: (m) => { if (!json) io.stderr.write(`${m}\n`); },
  });
  const summary = summarize(JSON.parse(await readFile(result.files.record, 'utf8')));
  if (!json) io.stdout.write(`\n${await readFile(result.files.markdown, 'utf8')}\n`);
  return finishWith(io, result.outcome, json, { summary, files: result.files });
}
