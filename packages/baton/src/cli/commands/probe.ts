import { startProbe } from '../../probe/probe.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';

/** `baton probe URL`: the probe alone, for a baseline or to watch an upgrade done by other tools. */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  // Checked by the option parsers (cli/option-parsers.ts) before this runs.
  const duration = Number(options.duration);
  const rps = Number(options.rps);
  const streams = Number(options.streams);
  const probe = await startProbe({
    url: args[0]!,
    path: options.path as string,
    rps,
    ...(streams > 0 ? { streams: { count: streams, path: options.streamPath as string } } : {}),
  });
  const json = options.output === 'json';
  const started = Date.now();
  const ticker = setInterval(() => {
    if (json) return;
    const s = probe.stats();
    io.stderr.write(
      `  ${((Date.now() - started) / 1000).toFixed(0)}s: ${s.requests} requests, ${s.failed} failed, p99 ${s.p99Ms ?? '-'} ms, streams cut ${s.streamsCut}\n`,
    );
  }, 1000);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, duration * 1000);
    io.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  clearInterval(ticker);
  const record = await probe.stop();
  if (json) printJson(io, 'ProbeRecord', record);
  else {
    const r = record.requests;
    io.stdout.write(
      `${r.total} requests, ${r.failed} failed, downtime ${record.downtime.totalMs} ms, p50 ${r.p50Ms ?? '-'} ms, p99 ${r.p99Ms ?? '-'} ms${record.streams ? `, streams cut ${record.streams.cut}/${record.streams.started}` : ''}\n`,
    );
  }
  return record.requests.failed === 0 && (record.streams?.cut ?? 0) === 0 ? exitCodes.ok : exitCodes.failed;
}
