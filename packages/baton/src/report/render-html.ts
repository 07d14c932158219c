import { escapeXml } from './escape-xml.js';
import { renderMarkdown } from './render-markdown.js';
import type { RunRecord } from './run-record.js';
import { summarize } from './summarize.js';
import { formatSeconds, isoTime } from './format.js';
import { renderTimelineSvg } from './timeline-svg.js';

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
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
<p><span class="status status-${e(r.status)}">${e(r.status)}</span>${r.reason ? ` — ${e(r.reason)}` : ''}<br/>
Strategy ${e(r.strategy)} · namespace ${e(r.namespace)} · ${e(isoTime(r.startedAt))} → ${e(isoTime(r.finishedAt))}</p>
<h2>Result</h2>
<table class="summary">
${row(['Metric', 'Value'], 'th')}
${summary.map((s) => `<tr data-metric="${s.metric}"><td>${e(s.label)}</td><td${s.measured ? '' : ' class="not-measured"'}>${e(s.value)}</td></tr>`).join('\n')}
</table>
<h2>Timeline</h2>
${renderTimelineSvg(r)}
<h2>Steps</h2>
<table class="steps">
${row(['Step', 'Kind', 'Status', 'Duration', 'Summary'], 'th')}
${steps.join('\n')}
</table>
<h2>Full report</h2>
<pre class="markdown">${e(renderMarkdown(r))}</pre>
</body>
</html>
`;
}
