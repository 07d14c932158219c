import { escapeXml } from './escape-xml.js';
import type { RunRecord } from './run-record.js';

const W = 960;
const H = 320;
const M = { left: 56, right: 64, top: 24, bottom: 64 };
const PALETTE = ['#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];

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
 * and step boundaries labelled. Every element carries a class so tests and styles can find it.
 */
export function renderTimelineSvg(r: RunRecord): string {
  const p = r.probe;
  const t0 = p?.startedAt ?? r.startedAt;
  const t1 = Math.max(t0 + 1, p?.stoppedAt ?? r.finishedAt);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (t: number): number => M.left + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * pw;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Run timeline">`);
  parts.push(`<rect class="plot" x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ddd"/>`);

  if (p) {
    const buckets = p.buckets;
    const bucketMs = p.config.bucketMs;
    const versions: string[] = [];
    for (const b of buckets) for (const v of Object.keys(b.byVersion)) if (!versions.includes(v)) versions.push(v);
    const yMax = Math.max(1, ...buckets.map((b) => b.requests));
    const y = (count: number): number => M.top + ph - (count / yMax) * ph;

    // Stacked areas, step-shaped: each bucket is flat across its width.
    parts.push('<g class="versions">');
    const below = buckets.map(() => 0);
    versions.forEach((v, k) => {
      const top: string[] = [];
      const bottom: string[] = [];
      buckets.forEach((b, i) => {
        const xa = x(t0 + b.t);
        const xb = x(t0 + b.t + bucketMs);
        const lo = below[i] ?? 0;
        const hi = lo + (b.byVersion[v] ?? 0);
        top.push(`${n(xa)},${n(y(hi))}`, `${n(xb)},${n(y(hi))}`);
        bottom.unshift(`${n(xb)},${n(y(lo))}`, `${n(xa)},${n(y(lo))}`);
        below[i] = hi;
      });
      const color = PALETTE[k % PALETTE.length] ?? '#888';
      parts.push(`<path class="area" data-version="${escapeXml(v)}" d="M${top.join(' L')} L${bottom.join(' L')} Z" fill="${color}" fill-opacity="0.75"><title>${escapeXml(v)}</title></path>`);
    });
    parts.push('</g>');

    parts.push('<g class="downtime">');
    for (const w of p.downtime.windows) {
      parts.push(`<rect class="downtime-window" x="${n(x(w.start))}" y="${M.top}" width="${n(Math.max(1, x(w.end) - x(w.start)))}" height="${ph}" fill="#e15759" fill-opacity="0.18"><title>downtime ${Math.round(w.end - w.start)} ms, ${w.failed} failed</title></rect>`);
    }
    parts.push('</g>');

    parts.push('<g class="failures">');
    for (const b of buckets) {
      if (b.failed === 0) continue;
      const xa = x(t0 + b.t);
      parts.push(`<rect class="failure" x="${n(xa)}" y="${n(y(b.failed))}" width="${n(Math.max(1.5, x(t0 + b.t + bucketMs) - xa))}" height="${n(M.top + ph - y(b.failed))}" fill="#e15759"><title>${b.failed} failed</title></rect>`);
    }
    parts.push('</g>');

    // p99 on its own right-hand scale; gaps where a bucket had no answer.
    const pMax = Math.max(1, ...buckets.map((b) => b.p99Ms ?? 0));
    const yl = (ms: number): number => M.top + ph - (ms / pMax) * ph;
    parts.push('<g class="latency">');
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 0) parts.push(`<polyline class="p99" points="${run.join(' ')}" fill="none" stroke="#222" stroke-width="1.5"/>`);
      run = [];
    };
    for (const b of buckets) {
      if (b.p99Ms === null) flush();
      else run.push(`${n(x(t0 + b.t + bucketMs / 2))},${n(yl(b.p99Ms))}`);
    }
    flush();
    parts.push(`<text class="axis-label" x="${W - M.right + 6}" y="${M.top + 10}" font-size="10">p99 ${Math.round(pMax)} ms</text>`);
    parts.push(`<text class="axis-label" x="${W - M.right + 6}" y="${M.top + ph}" font-size="10">0 ms</text>`);
    parts.push('</g>');
    parts.push(`<text class="axis-label" x="${M.left - 6}" y="${M.top + 10}" font-size="10" text-anchor="end">${yMax}</text>`);
    parts.push(`<text class="axis-label" x="${M.left - 6}" y="${M.top + ph}" font-size="10" text-anchor="end">0</text>`);
    parts.push(`<text class="axis-label" x="12" y="${M.top + ph / 2}" font-size="10" transform="rotate(-90 12 ${M.top + ph / 2})" text-anchor="middle">requests per ${bucketMs} ms</text>`);

    // Legend
    parts.push('<g class="legend">');
    [...versions.map((v, k) => [v, PALETTE[k % PALETTE.length] ?? '#888'] as const), ['failed', '#e15759'] as const].forEach(([label, color], i) => {
      const lx = M.left + i * 110;
      parts.push(`<rect x="${lx}" y="${H - 18}" width="10" height="10" fill="${color}"/><text x="${lx + 14}" y="${H - 9}" font-size="11">${escapeXml(label)}</text>`);
    });
    parts.push(`<line x1="${M.left + (versions.length + 1) * 110}" y1="${H - 13}" x2="${M.left + (versions.length + 1) * 110 + 16}" y2="${H - 13}" stroke="#222" stroke-width="1.5"/><text x="${M.left + (versions.length + 1) * 110 + 20}" y="${H - 9}" font-size="11">p99 latency</text>`);
    parts.push('</g>');
  } else {
    parts.push(`<text class="not-measured" x="${M.left + pw / 2}" y="${M.top + ph / 2}" text-anchor="middle" font-size="14" fill="#666">traffic not measured: the probe did not run</text>`);
  }

  // Time axis
  const span = t1 - t0;
  const step = niceStep(span / 1000, 8) * 1000;
  parts.push('<g class="time-axis">');
  for (let t = 0; t <= span + 1; t += step) {
    parts.push(`<line x1="${n(x(t0 + t))}" y1="${M.top + ph}" x2="${n(x(t0 + t))}" y2="${M.top + ph + 4}" stroke="#666"/><text x="${n(x(t0 + t))}" y="${M.top + ph + 16}" font-size="10" text-anchor="middle">${Math.round(t / 100) / 10}s</text>`);
  }
  parts.push('</g>');

  // Step boundaries: the probe's marks, else the steps' start times.
  const marks = p && p.marks.length > 0 ? p.marks : r.steps.map((s) => ({ at: s.startedAt, label: s.id }));
  parts.push('<g class="marks">');
  marks.forEach((m, i) => {
    if (m.at < t0 || m.at > t1) return;
    const mx = n(x(m.at));
    const ly = M.top + 10 + (i % 4) * 12;
    parts.push(`<g class="mark"><line x1="${mx}" y1="${M.top}" x2="${mx}" y2="${M.top + ph}" stroke="#555" stroke-dasharray="3,3"/><text x="${mx}" y="${ly}" dx="3" font-size="10" fill="#333">${escapeXml(m.label)}</text></g>`);
  });
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('\n');
}
