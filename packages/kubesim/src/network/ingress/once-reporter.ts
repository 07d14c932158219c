import type { ProblemReporter } from './route-decision.js';

/**
 * Wraps a reporter so each distinct problem (object, reason, message) is reported once, not on
 * every request that meets it: route matchers run per request, Events must not flood.
 */
export function onceReporter(report: ProblemReporter, maxRemembered = 1000): ProblemReporter {
  const seen = new Set<string>();
  return (object, reason, message) => {
    const key = `${object.kind}/${object.namespace}/${object.name}/${reason}/${message}`;
    if (seen.has(key)) return;
    if (seen.size >= maxRemembered) seen.clear();
    seen.add(key);
    report(object, reason, message);
  };
}
