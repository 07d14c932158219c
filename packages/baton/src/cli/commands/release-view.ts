import type { Release } from '../../controller/release.js';

/** One line per change while following a Release: phase, step, probe figures. */
export function progressLine(release: Release): string {
  const s = release.status ?? {};
  const probe = s.probe ? ` probe ${s.probe.failed}/${s.probe.requests} failed, ${s.probe.streamsCut} streams cut` : '';
  const step = s.currentStep ? ` step ${s.currentStep.id}${s.currentStep.progress ? ` (${s.currentStep.progress})` : ''}` : '';
  const waiting = s.conditions?.find((c) => c.type === 'Waiting' || c.type === 'Invalid' || c.type === 'ReconcileError');
  return `${release.metadata.name}: ${s.phase ?? 'Pending'}${step}${probe}${waiting ? ` (${waiting.type}: ${waiting.message.split('\n')[0]})` : ''}`;
}

/** `baton release status NAME`: the steps, probe, gates and conditions. */
export function describeRelease(release: Release): string {
  const s = release.status ?? {};
  const lines = [
    `Release ${release.metadata.namespace}/${release.metadata.name}  app ${String(release.spec.upgrade.app)}  ${s.strategy ?? ''} ${s.fromVersion ?? ''} -> ${s.toVersion ?? ''}`.trimEnd(),
    `phase: ${s.phase ?? 'Pending'}${s.message ? ` - ${s.message}` : ''}`,
  ];
  if (s.runId) lines.push(`run: ${s.runId} (journal ConfigMap ${s.journalRef?.configMap ?? '?'}); leader ${s.holder ?? '?'}`);
  if (s.pointOfNoReturn?.reached) lines.push(`point of no return passed at ${s.pointOfNoReturn.step}`);
  for (const step of s.steps ?? [])
    lines.push(`  ${mark(step.state)} ${step.id.padEnd(28)} ${step.state}${step.message ? `  ${step.message.split('\n')[0]}` : ''}`);
  if (s.stepsOmitted) lines.push(`  … ${s.stepsOmitted} more steps in the journal ConfigMap`);
  if (s.probe) {
    const versions = Object.entries(s.probe.byVersion)
      .map(([v, n]) => `${v} ${n}`)
      .join(', ');
    lines.push(
      `probe (${s.probe.target}): ${s.probe.failed}/${s.probe.requests} requests failed, ${s.probe.streamsCut}/${s.probe.streamsStarted} streams cut, ${s.probe.lostWrites}/${s.probe.writes} writes lost; by version: ${versions || '-'}; ${s.probe.segments.length} segment(s)`,
    );
  }
  for (const g of s.gates ?? []) lines.push(`gate ${g.step}: ${g.verdict}${g.reason ? ` (${g.reason})` : ''}`);
  for (const c of s.conditions ?? []) lines.push(`condition ${c.type}=${c.status} ${c.reason}: ${c.message.split('\n')[0]}`);
  return `${lines.join('\n')}\n`;
}

function mark(state: string): string {
  return state === 'done'
    ? '✓'
    : state === 'running'
      ? '▸'
      : state === 'failed'
        ? '✗'
        : state === 'undone'
          ? '↺'
          : state === 'paused'
            ? '⏸'
            : '·';
}
