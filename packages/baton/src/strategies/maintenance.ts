import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from './steps/rollout-step.js';
import type { PlannedStep } from '../engine/step.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';
import { forReapply } from './workload.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { verifyStep } from './steps/verify-step.js';

/**
 * For apps that can only migrate in maintenance mode (the Matomo seed): roll the old version into
 * maintenance mode, roll the new version in maintenance mode, run the migrations (the point of no
 * return), then roll the new version out of maintenance. Each switch is a rolling update with
 * maxUnavailable 0, so something always answers (with the maintenance page while it lasts).
 * A failure before the migrations rolls everything back automatically; after them the run halts
 * with the exact state and the commands to continue or give up.
 */
export const maintenanceStrategy: Strategy = {
  kind: 'maintenance',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.maintenance;
    const name = input.deployment.metadata.name;
    const live = input.live.deployments.find((d) => d.metadata.name === name);
    const warnings: string[] = [];
    const steps: PlannedStep[] = [];
    const rollout = (id: string, title: string, d: DeploymentLike, image: string): PlannedStep =>
      plannedStep(rolloutStep, {
        id,
        title,
        reversible: true,
        params: {
          deployment: d,
          image,
          timeoutSeconds: options.progressDeadlineSeconds + 60,
          ...(input.configFrom && d !== live ? { configFrom: input.configFrom } : {}),
        },
      });
    const withMaintenance = (d: DeploymentLike): DeploymentLike => {
      const copy = structuredClone(d);
      copy.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      copy.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
      for (const c of copy.spec.template.spec.containers) {
        c.env = [
          ...(c.env ?? []).filter((e) => !(e.name in options.env)),
          ...Object.entries(options.env).map(([k, v]) => ({ name: k, value: v })),
        ];
      }
      return copy;
    };
    if (live) {
      const oldImage = live.spec.template.spec.containers[0]?.image ?? '';
      steps.push(
        rollout(
          `maintenance:on:${name}`,
          `Put the running version (${oldImage}) in maintenance mode (${Object.keys(options.env).join(', ')})`,
          withMaintenance(forReapply(live)),
          oldImage,
        ),
      );
    } else warnings.push(`Deployment ${name} is not running yet; nothing to put in maintenance mode first`);
    steps.push(
      rollout(
        `maintenance:new:${name}`,
        `Start ${input.spec.image.ref} in maintenance mode`,
        withMaintenance(input.deployment),
        input.spec.image.ref,
      ),
    );
    const live2 = structuredClone(input.deployment);
    live2.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    const migrationsAt = steps.length;
    if (options.migrate) {
      // The app's own migration command (Matomo: ./console core:update): the point of no return.
      steps.push(
        plannedStep(verifyStep, {
          id: 'maintenance:migrate',
          reversible: false,
          title: `Migrate in maintenance mode: \`${options.migrate.exec.command.join(' ')}\` — the point of no return`,
          params: {
            hook: { name: 'migrate', exec: options.migrate.exec, timeoutSeconds: options.migrate.timeoutSeconds, retries: 0 },
            newDeployment: name,
          },
        }),
      );
    }
    // Verification hooks run once the new version is out of maintenance mode and serving.
    steps.push(rollout(`maintenance:off:${name}`, `Take ${input.spec.image.ref} out of maintenance mode`, live2, input.spec.image.ref));
    return {
      serviceObjects: input.service ? [input.service] : [],
      beforeVerify: steps,
      afterVerify: [],
      migrationsInsideAt: migrationsAt,
      verifyTarget: { newDeployment: name, ...(input.service ? { service: input.service.metadata.name } : {}) },
      trafficSwitch: `maintenance:off:${name}`,
      serving: { deployment: name },
      warnings,
    };
  },
};
