import { formatMs, formatSeconds, isoTime } from './format.js';
import type { RunRecord } from './run-record.js';
import { gapSentences, interruptedSentence } from './probe-gaps.js';
import { summarize } from './summarize.js';
import { skippedGates, TRAFFIC_HEAD, trafficRows } from './traffic-rows.js';
import { DRAIN_HEAD, STREAM_HEAD, drainCells, drainsOf, streamCells, streamRows } from './stream-section.js';

/** Escapes table-breaking characters in a markdown cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** The run as markdown: the seed's summary table first, then steps, traffic, database, drift. */
export function renderMarkdown(r: RunRecord): string {
  const out: string[] = [];
  out.push(`# baton run ${r.runId}: ${r.app} ${r.fromVersion} → ${r.toVersion}`, '');
  out.push(`**Status:** ${r.interrupted ? 'interrupted' : r.status}${r.reason ? ` — ${r.reason}` : ''}  `);
  out.push(
    `**Strategy:** ${r.strategy} · **Namespace:** ${r.namespace} · **Started:** ${isoTime(r.startedAt)} · **Finished:** ${isoTime(r.finishedAt)}`,
    '',
  );

  const interrupted = interruptedSentence(r);
  if (interrupted) out.push(`**${interrupted}**`, '');
  out.push('## Result', '');
  out.push(
    ...table(
      ['Metric', 'Value'],
      summarize(r).rows.map((row) => [row.label, row.value]),
    ),
    '',
  );

  out.push('## Steps', '');
  if (r.steps.length === 0) out.push('No steps were recorded.', '');
  else
    out.push(
      ...table(
        ['Step', 'Kind', 'Status', 'Duration', 'Summary'],
        r.steps.map((s) => [
          `${s.title} (\`${s.id}\`)`,
          s.kind,
          s.status,
          s.finishedAt === undefined ? '—' : formatSeconds(s.finishedAt - s.startedAt),
          s.reason ?? s.summary ?? '',
        ]),
      ),
      '',
    );

  const judged = trafficRows(r);
  const skipped = skippedGates(r);
  if (judged.length + skipped.length > 0) {
    out.push('## Traffic judged per step', '');
    if (judged.length > 0) {
      out.push('Each gate judged the new version on its own answers, from when the traffic change measurably took effect.', '');
      out.push(
        ...table(
          TRAFFIC_HEAD,
          judged.map((t) => [t.step, t.weightSet, t.shareMeasured, t.answersJudged, t.p99, t.windowStart]),
        ),
        '',
      );
    }
    for (const g of skipped) out.push(`**Notice:** gate \`${g.step}\` was ${g.reason}.`, '');
  }

  const p = r.probe;
  out.push('## Live traffic', '');
  if (!p) out.push('The traffic probe did not run: downtime, failed requests, streams and data loss were **not measured**.', '');
  else {
    const q = p.requests;
    const ka = p.config.keepAlive;
    const mix = ka
      ? `; ${ka.clients} keep-alive clients, each replaced after ${ka.maxRequests} requests or ${formatSeconds(ka.maxAgeMs)}`
      : '';
    const routed = p.config.routed
      ? `; ${Math.round(p.config.routed.share * 100)}% of requests sent with the A/B route (${p.config.routed.headers.join(', ')})`
      : '';
    out.push(
      `${q.total} requests at ${p.config.rps} rps to \`${p.url}${p.path}\` (${q.fresh} on fresh connections, ${q.keepAlive} keep-alive${mix}${routed}), from ${isoTime(p.startedAt)} for ${formatSeconds(p.stoppedAt - p.startedAt)}.`,
      '',
    );
    for (const line of gapSentences(r)) out.push(`**${line}**`, '');
    out.push(`Latency p50 ${formatMs(q.p50Ms)}, p90 ${formatMs(q.p90Ms)}, p99 ${formatMs(q.p99Ms)}, max ${formatMs(q.maxMs)}.`, '');
    out.push(
      `Answered by version: ${
        Object.entries(q.byVersion)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ') || 'none'
      }.`,
      '',
    );
    const reasons = Object.entries(q.byReason).filter(([, n]) => n > 0);
    out.push(`Failures: ${q.failed}${reasons.length > 0 ? ` (${reasons.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}.`, '');
    if (p.downtime.count > 0) {
      const shown = p.downtime.windows.slice(0, 20);
      out.push(`Downtime windows: ${p.downtime.count}${shown.length < p.downtime.count ? ` (first ${shown.length} shown)` : ''}.`, '');
      out.push(
        ...table(
          ['Downtime window', 'Length', 'Failed requests', 'Kind'],
          shown.map((w) => [isoTime(w.start), `${Math.round(w.end - w.start)} ms`, String(w.failed), w.kind]),
        ),
        '',
      );
    }
    if (p.streams)
      out.push(
        `Downloads (\`${p.streams.path}\`, ${p.streams.target} kept open): ${p.streams.started} started, ${p.streams.completed} completed, ${p.streams.cut} cut, ${p.streams.startFailed} failed to start; ${p.streams.bytesReceived} of ${p.streams.bytesExpected} bytes received.`,
        '',
      );
    for (const [name, c] of [
      ['SSE', p.sse],
      ['WebSocket', p.websockets],
    ] as const) {
      if (c)
        out.push(
          `${name} (\`${c.path}\`, ${c.target} kept open): ${c.opened} opened, ${c.closedGracefully} closed gracefully by the server and ${c.resumed} resumed, ${c.cut} cut abruptly, ${c.openFailed} failed to open; ${c.messages} messages, ${c.messagesLost} lost, ${c.messagesDuplicated} duplicated.`,
          '',
        );
    }
    const rows = streamRows(p);
    if (rows.length > 0) out.push('### Streams by version', '', ...table(STREAM_HEAD, rows.map(streamCells)), '');
    const drains = drainsOf(r);
    if (drains.length > 0) out.push('### Drain by evidence', '', ...table(DRAIN_HEAD, drainCells(drains)), '');
    if (p.writes)
      out.push(
        `Write-then-read checks (\`${p.writes.path}\`): ${p.writes.attempted} attempted, ${p.writes.verified} verified, ${p.writes.lost} lost, ${p.writes.writeFailed} writes failed, ${p.writes.readFailed} reads failed.`,
        '',
      );
    if (p.failures.count > 0) {
      const shown = p.failures.kept.slice(0, 10);
      out.push(`First ${shown.length} of ${p.failures.count} failed requests:`, '');
      out.push(
        ...table(
          ['At', 'Reason', 'Status', 'Version', 'Message'],
          shown.map((f) => [isoTime(f.at), f.reason, f.status === null ? '—' : String(f.status), f.version ?? '—', f.message ?? '']),
        ),
        '',
      );
    }
  }

  out.push('## Database', '');
  if (r.backups.length === 0) out.push('No backup was taken.', '');
  else
    out.push(
      ...table(
        ['Backup', 'Path', 'Size (bytes)', 'Compressed (bytes)', 'Verified', 'Detail'],
        r.backups.map((b) => [
          b.method,
          b.path ?? '—',
          String(b.sizeBytes),
          b.compressedBytes === undefined ? '—' : String(b.compressedBytes),
          b.verified ? 'yes' : 'NO',
          b.detail,
        ]),
      ),
      '',
    );
  if (r.migrations.length === 0) out.push('No migrations ran.', '');
  else
    out.push(
      ...table(
        ['Migration', 'Phase', 'Status', 'Duration'],
        r.migrations.map((m) => [m.version, m.phase, m.status, formatSeconds(m.durationMs)]),
      ),
      '',
    );

  out.push('## Drift', '');
  if (r.drift.length === 0) out.push('The cluster matched the manifests.', '');
  else
    out.push(
      ...table(
        ['Resource', 'Field', 'Manifest', 'Cluster'],
        r.drift.map((d) => [d.resource, d.field, d.manifest, d.cluster]),
      ),
      '',
    );
  return `${out.join('\n').trimEnd()}\n`;
}
