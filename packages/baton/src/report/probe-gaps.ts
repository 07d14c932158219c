import { formatSeconds, isoTime } from './format.js';
import type { RunRecord } from './run-record.js';

/**
 * What the report says about the stretches no probe measured (baton was killed, then resumed)
 * and about a run interrupted and not yet continued: one wording for markdown, html and the
 * dashboard. Gaps are neither downtime nor success; the sentences say so.
 */
export function gapSentences(r: RunRecord): string[] {
  const gaps = r.probe?.gaps ?? [];
  if (gaps.length === 0) return [];
  const total = gaps.reduce((n, g) => n + (g.end - g.start), 0);
  const list = gaps.map((g) => `${isoTime(g.start)} for ${formatSeconds(g.end - g.start)}`).join('; ');
  return [
    `Not measured: ${gaps.length} gap${gaps.length === 1 ? '' : 's'} (${formatSeconds(total)} in all) while no baton process was running (${list}). Gaps count neither as downtime nor as success; every figure here covers the ${r.probe?.segments?.length ?? gaps.length + 1} probe segments only.`,
  ];
}

/** "Interrupted: REASON. Measured so far below; continue it with `baton resume RUN`." */
export function interruptedSentence(r: RunRecord): string | undefined {
  const i = r.interrupted;
  if (!i) return undefined;
  return `Interrupted: ${i.reason}. This report shows what was measured until then; continue it with \`${i.next}\`.`;
}
