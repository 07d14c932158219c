import type { PlannedStep } from '../engine/step.js';
import { plannedStep } from '../engine/step-kind.js';
import { setHeaderRouteStep } from './steps/set-header-route-step.js';
import { setWeightStep } from './steps/set-weight-step.js';
import type { HeaderRoute } from '../traffic/traffic-router.js';
import { headerRouters, routerTraits } from '../traffic/index.js';
import { analysisScope, analysisStep, planCanaryRelease, promotedRouter } from './canary.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';
import { pauseStep } from './steps/pause-step.js';

/**
 * A/B: requests matching a header (or cookie NAME=always) go to the new version only; everyone
 * else stays on stable (weight 0 throughout). A pause lets people try it (`baton promote` or a
 * duration), an optional probe analysis judges it, then it is promoted like a canary and the
 * route removed. Abort or a failure before that removes the route: all traffic on stable.
 */
export const abStrategy: Strategy = {
  kind: 'ab',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.ab;
    if (!routerTraits[input.spec.traffic.router].headerRoutes) {
      throw new Error(
        `A/B routes by header or cookie; traffic.router ${input.spec.traffic.router} cannot (use ${headerRouters().join(', ')})`,
      );
    }
    const release = planCanaryRelease(input, options);
    const route: HeaderRoute =
      'header' in options.match
        ? { kind: 'header', name: options.match.header, value: options.match.value }
        : { kind: 'cookie', name: options.match.cookie };
    const describe = route.kind === 'header' ? `${route.name}: ${route.value}` : `cookie ${route.name}=always`;
    const { router } = release;
    const steps: PlannedStep[] = [
      plannedStep(setWeightStep, {
        id: 'ab:weight-0',
        reversible: true,
        title: `${release.router.kind}: no unmatched traffic to the new version`,
        params: { router, weight: 0, restoreOnUndo: true },
      }),
      plannedStep(setHeaderRouteStep, {
        id: 'ab:route',
        reversible: true,
        title: `${release.router.kind}: requests with ${describe} -> new version only`,
        params: { router, route },
      }),
      plannedStep(pauseStep, {
        id: 'ab:pause',
        reversible: true,
        title: options.pause.seconds === undefined ? 'A/B: pause until `baton promote`' : `A/B: pause ${options.pause.seconds}s`,
        params: options.pause.seconds === undefined ? {} : { seconds: options.pause.seconds },
      }),
    ];
    if (options.analysis) steps.push(analysisStep('ab:analysis', options.analysis, analysisScope(input, { route })));
    const final: PlannedStep[] = [
      plannedStep(setHeaderRouteStep, {
        id: 'promote:route-off',
        reversible: true,
        title: `${release.router.kind}: remove the A/B route (everyone on the promoted version)`,
        params: { router: promotedRouter(release), route: null },
      }),
    ];
    return {
      serviceObjects: release.serviceObjects,
      beforeVerify: [...release.setup, ...steps],
      afterVerify: release.promote(final),
      verifyTarget: {
        newDeployment: release.canaryName,
        oldDeployment: input.deployment.metadata.name,
        service: release.router.canaryService,
      },
      trafficSwitch: release.trafficSwitch,
      serving: release.serving,
      ...(release.previousSelector ? { previousSelector: release.previousSelector } : {}),
      warnings: release.warnings,
    };
  },
};
