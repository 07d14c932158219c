/** What a command may touch: injected so tests run commands in-process. */
export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export type OutputFormat = 'text' | 'json';

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
