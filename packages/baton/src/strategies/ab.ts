import type { PlannedStep } from '../engine/step.js';
import type { JsonObject } from '../json.js';
import type { HeaderRoute } from '../traffic/traffic-router.js';
import { analysisStep, planCanaryRelease, promotedRouter } from './canary.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';

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
    if (input.spec.traffic.router === 'replica-ratio' || input.spec.traffic.router === 'service-selector') {
      throw new Error(`A/B routes by header or cookie; traffic.router ${input.spec.traffic.router} cannot (use nginx-ingress, gateway-api or istio)`);
    }
    const release = planCanaryRelease(input, options);
    const route: HeaderRoute = 'header' in options.match ? { kind: 'header', name: options.match.header, value: options.match.value } : { kind: 'cookie', name: options.match.cookie };
    const describe = route.kind === 'header' ? `${route.name}: ${route.value}` : `cookie ${route.name}=always`;
    const router = release.router as unknown as JsonObject;
    const steps: PlannedStep[] = [
      { id: 'ab:weight-0', kind: 'set-weight', reversible: true, title: `${release.router.kind}: no unmatched traffic to the new version`, params: { router, weight: 0, restoreOnUndo: true } },
      { id: 'ab:route', kind: 'set-header-route', reversible: true, title: `${release.router.kind}: requests with ${describe} -> new version only`, params: { router, route: { ...route } } },
      { id: 'ab:pause', kind: 'pause', reversible: true, title: options.pause.seconds === undefined ? 'A/B: pause until `baton promote`' : `A/B: pause ${options.pause.seconds}s`, params: options.pause.seconds === undefined ? {} : { seconds: options.pause.seconds } },
    ];
    if (options.analysis) steps.push(analysisStep('ab:analysis', options.analysis));
    const promoted = promotedRouter(release) as unknown as JsonObject;
    const final: PlannedStep[] = [
      { id: 'promote:route-off', kind: 'set-header-route', reversible: true, title: `${release.router.kind}: remove the A/B route (everyone on the promoted version)`, params: { router: promoted, route: null } },
    ];
    return {
      serviceObjects: release.serviceObjects,
      beforeVerify: [...release.setup, ...steps],
      afterVerify: release.promote(final),
      verifyTarget: { newDeployment: release.canaryName, oldDeployment: input.deployment.metadata.name, service: release.router.canaryService },
      serving: release.serving,
      ...(release.previousSelector ? { previousSelector: release.previousSelector } : {}),
      warnings: release.warnings,
    };
  },
};
