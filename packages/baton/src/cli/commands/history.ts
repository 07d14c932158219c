import { history, type Revision } from '../../operations/history.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { requiredAppTargetOf } from './app-target.js';
import { commandContext } from './context.js';

/**
 * `baton history [APP]`: the app's releases as revisions 1, 2, 3… (oldest first, like `helm
 * history`), for `baton rollback --to-revision N`. The app defaults to baton.yaml's.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const { kube, namespace, app } = await requiredAppTargetOf(options, args[0], io, 'baton history');
  const view = await history({ app, namespace }, { kube, journal: commandContext(options, io).ports.journal });
  if (options.output === 'json') {
    printJson(io, 'RevisionHistory', view);
    return exitCodes.ok;
  }
  if (view.revisions.length === 0) {
    io.stdout.write(`no release of ${namespace}/${app} is recorded yet (baton records the releases it deploys)\n`);
    return exitCodes.ok;
  }
  io.stdout.write(table(view.revisions));
  return exitCodes.ok;
}

const columns: { title: string; cell: (r: Revision) => string }[] = [
  { title: 'REVISION', cell: (r) => String(r.revision) },
  { title: 'UPDATED', cell: (r) => r.at },
  { title: 'STATUS', cell: (r) => (r.runStatus && r.runStatus !== 'succeeded' ? `${r.status} (run ${r.runStatus})` : r.status) },
  { title: 'VERSION', cell: (r) => r.version },
  { title: 'IMAGE', cell: (r) => r.image },
  { title: 'RUN', cell: (r) => r.runId },
  { title: 'DESCRIPTION', cell: (r) => r.description },
];

function table(rows: readonly Revision[]): string {
  const cells = [columns.map((c) => c.title), ...rows.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return `${cells.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}
