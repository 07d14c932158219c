import type { MigrationPlan } from '../db/migrations/plan-migrations.js';
import type { Drift } from '../plan/drift.js';
import type { Plan } from '../plan/plan.js';

export function formatPlan(plan: Plan): string {
  const lines = [
    `Upgrade ${plan.namespace}/${plan.app}: ${plan.from ? `${plan.from.version} (${plan.from.image})` : '(nothing deployed)'} -> ${plan.to.version} (${plan.to.image}), strategy ${plan.strategy}`,
    '',
  ];
  for (const [i, s] of plan.steps.entries())
    lines.push(`${String(i + 1).padStart(3)}. ${s.title}${s.reversible ? '' : '   [point of no return]'}`);
  if (plan.migrations) lines.push('', ...formatMigrations(plan.migrations));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ! ${w}`));
  lines.push('', formatDrift(plan.drift).trimEnd());
  return `${lines.join('\n')}\n`;
}

/** Pending migrations with their phase, then what migrate does about INVALID indexes before them. */
function formatMigrations(migrations: MigrationPlan): string[] {
  const lines =
    migrations.pending.length === 0
      ? ['Migrations: none pending.']
      : ['Migrations:', ...migrations.pending.map((m) => `  ${String(m.version).padStart(4, '0')}_${m.name}  ${m.phase}`)];
  if (migrations.indexRepairs.length > 0)
    lines.push(
      'INVALID indexes (repaired or reported before the first migration):',
      ...migrations.indexRepairs.map((r) => `  ${r.action}: ${r.description}`),
    );
  return lines;
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
