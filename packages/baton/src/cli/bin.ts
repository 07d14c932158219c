#!/usr/bin/env node
import { runCli } from './main.js';

// The only place that touches process-wide state: signals and the exit code.
const controller = new AbortController();
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130); // a second Ctrl-C means "now"
    process.stderr.write(
      `\n${signal}: stopping safely (rolling back if before the point of no return); press Ctrl-C again to quit at once\n`,
    );
    controller.abort(new Error(signal));
  });
}
// A reader that went away (`baton --help | head -1`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
// Background handles (watches, probe sockets) must not keep a finished CLI alive.
setTimeout(() => process.exit(code), 200).unref();
