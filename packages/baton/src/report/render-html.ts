import { escapeXml } from './escape-xml.js';
import { gapSentences, interruptedSentence } from './probe-gaps.js';
import { renderMarkdown } from './render-markdown.js';
import type { RunRecord } from './run-record.js';
import { summarize } from './summarize.js';
import { formatSeconds, isoTime } from './format.js';
import { renderTimelineSvg } from './timeline-svg.js';
import { skippedGates, TRAFFIC_HEAD, trafficRows } from './traffic-rows.js';
import { DRAIN_HEAD, STREAM_HEAD, drainCells, drainsOf, streamCells, streamRows } from './stream-section.js';

/** The stream section: completed / resumed (gap p50, p99, max) / cut per version, and the drains. */
function streamTables(r: RunRecord): string {
  const e = escapeXml;
  const rows = r.probe ? streamRows(r.probe) : [];
  const drains = drainCells(drainsOf(r));
  let html = '';
  if (rows.length > 0)
    html += `<h2>Streams by version</h2>\n<table class="streams">\n${row(STREAM_HEAD, 'th')}\n${rows
      .map(
        (s) =>
          `<tr data-kind="${s.kind}" data-version="${e(s.version)}">${streamCells(s)
            .map((c) => `<td>${e(c)}</td>`)
            .join('')}</tr>`,
      )
      .join('\n')}\n</table>\n`;
  if (drains.length > 0)
    html += `<h2>Drain by evidence</h2>\n<table class="drains">\n${row(DRAIN_HEAD, 'th')}\n${drains.map((d) => row(d.map(e))).join('\n')}\n</table>\n`;
  return html;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
th{background:#f4f4f4}.not-measured{color:#888;font-style:italic}.status{font-weight:bold}
.status-succeeded{color:#2e7d32}.status-rolled-back,.status-halted,.status-aborted,.status-failed{color:#c62828}
pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:12px}`;

function row(cells: string[], tag = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
}

/**
 * The run as one self-contained page (inline CSS and SVG, no scripts, no external assets),
 * written as well-formed XHTML-compatible markup so any XML parser can read it.
 */
export function renderHtml(r: RunRecord): string {
  const e = escapeXml;
  const summary = summarize(r).rows;
  const title = `baton run ${r.runId}: ${r.app} ${r.fromVersion} → ${r.toVersion}`;
  const steps = r.steps.map((s) =>
    row([
      `${e(s.title)}<br/><code>${e(s.id)}</code>`,
      e(s.kind),
      e(s.status),
      s.finishedAt === undefined ? '—' : e(formatSeconds(s.finishedAt - s.startedAt)),
      e(s.reason ?? s.summary ?? '') + (s.output ? `<pre>${e(s.output)}</pre>` : ''),
    ]),
  );
  const judged = trafficRows(r);
  const skipped = skippedGates(r);
  const traffic =
    judged.length + skipped.length === 0
      ? ''
      : `<h2>Traffic judged per step</h2>
${
  judged.length === 0
    ? ''
    : `<table class="traffic">
${row(TRAFFIC_HEAD, 'th')}
${judged.map((t) => row([t.step, t.weightSet, t.shareMeasured, t.answersJudged, t.p99, t.windowStart].map(e))).join('\n')}
</table>`
}
${skipped.map((g) => `<p class="notice">Notice: gate <code>${e(g.step)}</code> was ${e(g.reason)}.</p>`).join('\n')}
`;
  // The timeline's coloured marks, in words: a gate failing, the rollback it started, pauses.
  const events = (r.events ?? []).map(
    (ev) =>
      `<tr data-event="${e(ev.kind)}"><td>+${e(formatSeconds(ev.at - (r.probe?.startedAt ?? r.startedAt)))}</td><td>${e(ev.label)}</td></tr>`,
  );
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
<p><span class="status status-${e(r.status)}">${e(r.interrupted ? 'interrupted' : r.status)}</span>${r.reason ? ` — ${e(r.reason)}` : ''}<br/>
Strategy ${e(r.strategy)} · namespace ${e(r.namespace)} · ${e(isoTime(r.startedAt))} → ${e(isoTime(r.finishedAt))}</p>
${[interruptedSentence(r)]
  .filter((x) => x !== undefined)
  .map((x) => `<p class="interrupted">${e(x)}</p>\n`)
  .join('')}${gapSentences(r)
  .map((x) => `<p class="not-measured gap">${e(x)}</p>\n`)
  .join('')}
<h2>Result</h2>
<table class="summary">
${row(['Metric', 'Value'], 'th')}
${summary.map((s) => `<tr data-metric="${s.metric}"><td>${e(s.label)}</td><td${s.measured ? '' : ' class="not-measured"'}>${e(s.value)}</td></tr>`).join('\n')}
</table>
${streamTables(r)}<h2>Timeline</h2>
${renderTimelineSvg(r)}
${events.length > 0 ? `<table class="events">\n${row(['When', 'Event'], 'th')}\n${events.join('\n')}\n</table>` : ''}
<h2>Steps</h2>
<table class="steps">
${row(['Step', 'Kind', 'Status', 'Duration', 'Summary'], 'th')}
${steps.join('\n')}
</table>
${traffic}<h2>Full report</h2>
<pre class="markdown">${e(renderMarkdown(r))}</pre>
</body>
</html>
`;
}
