import { escapeXml } from './escape-xml.js';
import { layoutLabels } from './label-lanes.js';
import type { RunRecord } from './run-record.js';
import { MARK_COLORS, rollbackWindows, timelineMarks } from './timeline-marks.js';

const W = 960;
const PLOT_H = 232;
const M = { left: 56, right: 84, bottom: 64 };
/** Labels sit in lanes above the plot, one row each, never over the traffic. */
const LANE_H = 13;
const LABEL_TOP = 6;
const LABEL_FONT = 10;
/** Monospace labels: DejaVu Sans Mono / Menlo / Consolas advance 0.6 em; a little more is safe. */
const CHAR_W = LABEL_FONT * 0.62;
const LABEL_FAMILY = "ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace";
export const VERSION_PALETTE = ['#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];

/**
 * Versions in a stable order, so each keeps its colour in every chart of a run (and across the
 * report and the dashboard): the version upgraded from, the one upgraded to, then any other the
 * probe saw, in the order it first answered.
 */
export function versionOrder(r: RunRecord): string[] {
  const seen: string[] = [];
  for (const b of r.probe?.buckets ?? []) for (const v of Object.keys(b.byVersion)) if (!seen.includes(v)) seen.push(v);
  const first = [r.fromVersion, r.toVersion].filter((v) => seen.includes(v));
  return [...first, ...seen.filter((v) => !first.includes(v))];
}

const n = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Nice tick step (1, 2, 5 x 10^k) for about `target` ticks over `span`. */
function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10;
}

/**
 * The run's timeline as inline SVG: versions serving over time (stacked areas of answered
 * requests per bucket), failures and downtime as red marks, the p99 latency line (right axis),
 * step boundaries and events (a gate failing, a rollback's start and end, pauses) as labelled
 * lines whose labels are laid out in lanes so no two overlap, and the rollback as a band. Every
 * element carries a class so tests and styles can find it. The dashboard renders the same SVG.
 */
export function renderTimelineSvg(r: RunRecord, options: { now?: number } = {}): string {
  const p = r.probe;
  const t0 = p?.startedAt ?? r.startedAt;
  const end = Math.max(p?.stoppedAt ?? 0, r.status === 'running' || r.status === 'paused' ? (options.now ?? r.finishedAt) : r.finishedAt);
  const t1 = Math.max(t0 + 1, end);
  const pw = W - M.left - M.right;
  const xOf = (t: number): number => M.left + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * pw;

  const marks = timelineMarks(r).filter((m) => m.at >= t0 && m.at <= t1);
  const labels = layoutLabels(
    marks.map((m) => ({ x: xOf(m.at), text: m.label, item: m })),
    {
      minX: 2,
      maxX: W - 2,
      charWidth: CHAR_W,
      pad: 3,
      maxChars: 34,
    },
  );
  const lanes = Math.max(1, ...labels.map((l) => l.lane + 1));
  const top = LABEL_TOP + lanes * LANE_H + 8;
  const ph = PLOT_H;
  const H = top + ph + M.bottom;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Run timeline">`,
  );
  parts.push(`<rect class="plot" x="${M.left}" y="${top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ddd"/>`);

  parts.push('<g class="rollback">');
  for (const w of rollbackWindows(r, t1)) {
    const xa = xOf(w.start);
    parts.push(
      `<rect class="rollback-window" x="${n(xa)}" y="${top}" width="${n(Math.max(1, xOf(w.end) - xa))}" height="${ph}" fill="${MARK_COLORS['rollback-started']}" fill-opacity="0.08"><title>rolling back${w.finished ? '' : ' (not finished)'}</title></rect>`,
    );
  }
  parts.push('</g>');

  const versions: string[] = [];
  if (p) {
    const buckets = p.buckets;
    const bucketMs = p.config.bucketMs;
    versions.push(...versionOrder(r));
    const yMax = Math.max(1, ...buckets.map((b) => b.requests));
    const y = (count: number): number => top + ph - (count / yMax) * ph;

    // Stacked areas, step-shaped: each bucket is flat across its width.
    parts.push('<g class="versions">');
    const below = buckets.map(() => 0);
    versions.forEach((v, k) => {
      const upper: string[] = [];
      const lower: string[] = [];
      buckets.forEach((b, i) => {
        const xa = xOf(t0 + b.t);
        const xb = xOf(t0 + b.t + bucketMs);
        const lo = below[i] ?? 0;
        const hi = lo + (b.byVersion[v] ?? 0);
        upper.push(`${n(xa)},${n(y(hi))}`, `${n(xb)},${n(y(hi))}`);
        lower.unshift(`${n(xb)},${n(y(lo))}`, `${n(xa)},${n(y(lo))}`);
        below[i] = hi;
      });
      const color = VERSION_PALETTE[k % VERSION_PALETTE.length] ?? '#888';
      parts.push(
        `<path class="area" data-version="${escapeXml(v)}" d="M${upper.join(' L')} L${lower.join(' L')} Z" fill="${color}" fill-opacity="0.75"><title>${escapeXml(v)}</title></path>`,
      );
    });
    parts.push('</g>');

    // Stretches no baton process measured (killed, then resumed): neither downtime nor success.
    parts.push('<g class="gaps">');
    for (const g of p.gaps ?? []) {
      parts.push(
        `<rect class="gap" x="${n(xOf(g.start))}" y="${top}" width="${n(Math.max(1, xOf(g.end) - xOf(g.start)))}" height="${ph}" fill="#ffffff" stroke="#999" stroke-dasharray="4,3"><title>not measured for ${Math.round(g.end - g.start)} ms: baton was not running</title></rect>`,
        `<text class="gap-label" x="${n((xOf(g.start) + xOf(g.end)) / 2)}" y="${top + ph / 2}" text-anchor="middle" font-size="10" fill="#666">not measured</text>`,
      );
    }
    parts.push('</g>');

    parts.push('<g class="downtime">');
    for (const w of p.downtime.windows) {
      parts.push(
        `<rect class="downtime-window" x="${n(xOf(w.start))}" y="${top}" width="${n(Math.max(1, xOf(w.end) - xOf(w.start)))}" height="${ph}" fill="#e15759" fill-opacity="0.18"><title>downtime ${Math.round(w.end - w.start)} ms, ${w.failed} failed</title></rect>`,
      );
    }
    parts.push('</g>');

    parts.push('<g class="failures">');
    for (const b of buckets) {
      if (b.failed === 0) continue;
      const xa = xOf(t0 + b.t);
      parts.push(
        `<rect class="failure" x="${n(xa)}" y="${n(y(b.failed))}" width="${n(Math.max(1.5, xOf(t0 + b.t + bucketMs) - xa))}" height="${n(top + ph - y(b.failed))}" fill="#e15759"><title>${b.failed} failed</title></rect>`,
      );
    }
    parts.push('</g>');

    // p99 on its own right-hand scale; gaps where a bucket had no answer.
    const pMax = Math.max(1, ...buckets.map((b) => b.p99Ms ?? 0));
    const yl = (ms: number): number => top + ph - (ms / pMax) * ph;
    parts.push('<g class="latency">');
    let line: string[] = [];
    const flush = (): void => {
      if (line.length > 0) parts.push(`<polyline class="p99" points="${line.join(' ')}" fill="none" stroke="#222" stroke-width="1.5"/>`);
      line = [];
    };
    for (const b of buckets) {
      if (b.p99Ms === null) flush();
      else line.push(`${n(xOf(t0 + b.t + bucketMs / 2))},${n(yl(b.p99Ms))}`);
    }
    flush();
    parts.push(`<text class="axis-label" x="${W - M.right + 6}" y="${top + 10}" font-size="10">p99 ${Math.round(pMax)} ms</text>`);
    parts.push(`<text class="axis-label" x="${W - M.right + 6}" y="${top + ph}" font-size="10">0 ms</text>`);
    parts.push('</g>');
    parts.push(`<text class="axis-label" x="${M.left - 6}" y="${top + 10}" font-size="10" text-anchor="end">${yMax}</text>`);
    parts.push(`<text class="axis-label" x="${M.left - 6}" y="${top + ph}" font-size="10" text-anchor="end">0</text>`);
    parts.push(
      `<text class="axis-label" x="12" y="${top + ph / 2}" font-size="10" transform="rotate(-90 12 ${top + ph / 2})" text-anchor="middle">requests per ${bucketMs} ms</text>`,
    );
  } else {
    parts.push(
      `<text class="not-measured" x="${M.left + pw / 2}" y="${top + ph / 2}" text-anchor="middle" font-size="14" fill="#666">traffic not measured: the probe did not run</text>`,
    );
  }

  // Time axis
  const span = t1 - t0;
  const tick = niceStep(span / 1000, 8) * 1000;
  parts.push('<g class="time-axis">');
  for (let t = 0; t <= span + 1; t += tick) {
    parts.push(
      `<line x1="${n(xOf(t0 + t))}" y1="${top + ph}" x2="${n(xOf(t0 + t))}" y2="${top + ph + 4}" stroke="#666"/><text x="${n(xOf(t0 + t))}" y="${top + ph + 16}" font-size="10" text-anchor="middle">${Math.round(t / 100) / 10}s</text>`,
    );
  }
  parts.push('</g>');

  // Marks: a line from the label's lane down through the plot; steps dashed grey, events coloured.
  parts.push('<g class="marks">');
  for (const l of labels) {
    const m = l.item;
    const color = MARK_COLORS[m.kind];
    const laneY = LABEL_TOP + l.lane * LANE_H;
    const cls = m.kind === 'step' ? 'mark' : `mark-event event-${m.kind}`;
    const dash = m.kind === 'step' ? ' stroke-dasharray="3,3"' : ' stroke-width="1.5"';
    const tx = l.anchor === 'start' ? l.left : l.right;
    parts.push(
      `<g class="${cls}" data-kind="${m.kind}"><title>${escapeXml(m.label)} at +${((m.at - t0) / 1000).toFixed(2)}s</title><line x1="${n(l.x)}" y1="${laneY + 2}" x2="${n(l.x)}" y2="${top + ph}" stroke="${color}"${dash}/><text class="mark-label" x="${n(tx)}" y="${laneY + LABEL_FONT}" font-size="${LABEL_FONT}" font-family="${LABEL_FAMILY}" text-anchor="${l.anchor}" fill="${m.kind === 'step' ? '#333' : color}">${escapeXml(l.text)}</text></g>`,
    );
  }
  parts.push('</g>');

  // Legend
  parts.push('<g class="legend">');
  const legend: Array<[string, string]> = [
    ...versions.map((v, k): [string, string] => [v, VERSION_PALETTE[k % VERSION_PALETTE.length] ?? '#888']),
  ];
  if (p) legend.push(['failed', '#e15759']);
  let lx = M.left;
  for (const [label, color] of legend) {
    parts.push(
      `<rect x="${lx}" y="${H - 18}" width="10" height="10" fill="${color}"/><text x="${lx + 14}" y="${H - 9}" font-size="11">${escapeXml(label)}</text>`,
    );
    lx += 24 + label.length * 7;
  }
  if (p) {
    parts.push(
      `<line x1="${lx}" y1="${H - 13}" x2="${lx + 16}" y2="${H - 13}" stroke="#222" stroke-width="1.5"/><text x="${lx + 20}" y="${H - 9}" font-size="11">p99 latency</text>`,
    );
    lx += 110;
  }
  if (rollbackWindows(r, t1).length > 0)
    parts.push(
      `<rect x="${lx}" y="${H - 18}" width="10" height="10" fill="${MARK_COLORS['rollback-started']}" fill-opacity="0.3"/><text x="${lx + 14}" y="${H - 9}" font-size="11">rolling back</text>`,
    );
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('\n');
}
