import type { PlannedStep } from '../engine/step.js';
import { plannedStep } from '../engine/step-kind.js';
import { switchSelectorStep } from './steps/switch-selector-step.js';

/**
 * Adopting a plain Deployment: its Service selects `app: x`, which the new release's pods will
 * carry too. Pinning the Service to the live pods' pod-template-hash first keeps every request on
 * them until the strategy moves traffic on purpose. Undefined when the hash is unknown.
 */
export function pinToLivePods(o: {
  id: string;
  service: string;
  deployment: string;
  hash: string | undefined;
  baseSelector: Record<string, string>;
}): { selector: Record<string, string>; step: PlannedStep } | undefined {
  if (!o.hash) return undefined;
  const selector = { ...o.baseSelector, 'pod-template-hash': o.hash };
  return {
    selector,
    step: plannedStep(switchSelectorStep, {
      id: o.id,
      reversible: true,
      title: `Pin Service ${o.service} to the live pods of ${o.deployment} (pod-template-hash ${o.hash})`,
      params: { service: o.service, selector },
    }),
  };
}
