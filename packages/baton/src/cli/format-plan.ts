import type { Drift } from '../plan/drift.js';
import type { Plan } from '../plan/plan.js';

export function formatPlan(plan: Plan): string {
  const lines = [
    `Upgrade ${plan.namespace}/${plan.app}: ${plan.from ? `${plan.from.version} (${plan.from.image})` : '(nothing deployed)'} -> ${plan.to.version} (${plan.to.image}), strategy ${plan.strategy}`,
    '',
  ];
  for (const [i, s] of plan.steps.entries())
    lines.push(`${String(i + 1).padStart(3)}. ${s.title}${s.reversible ? '' : '   [point of no return]'}`);
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ! ${w}`));
  lines.push('', formatDrift(plan.drift).trimEnd());
  return `${lines.join('\n')}\n`;
}

export function formatDrift(drift: Drift[]): string {
  if (drift.length === 0) return 'No drift: the cluster matches the manifests.\n';
  const lines = ['Drift (manifests vs cluster):'];
  for (const d of drift) lines.push(`  ${d.resource} ${d.field}: manifests ${show(d.manifest)}, cluster ${show(d.cluster)}`);
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? '(unset)' : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
