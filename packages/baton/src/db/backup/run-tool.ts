import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BatonError } from '../../errors.js';
import { redactSecrets } from '../connection-url.js';

export interface ToolRun {
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Fed to the tool's stdin (e.g. a gunzipped dump for `mysql`). */
  stdin?: Readable;
  /** Receives the tool's stdout (e.g. gzip -> file for mysqldump). */
  stdout?: Writable;
  /** Scrubbed from stderr before it is reported. */
  secrets?: readonly (string | undefined)[];
  signal?: AbortSignal;
}

export interface ToolOutcome {
  code: number | null;
  /** Last 4 KiB of stderr, secrets removed. */
  stderr: string;
}

/** Runs an external program from an argv array (never a shell string) and waits for it. */
export async function runTool(run: ToolRun): Promise<ToolOutcome> {
  const [command, ...args] = run.argv;
  if (command === undefined) throw new BatonError('BACKUP_COMMAND_EMPTY', 'the backup command is empty');
  const child = spawn(command, args, {
    env: run.env ?? process.env,
    stdio: [run.stdin ? 'pipe' : 'ignore', run.stdout ? 'pipe' : 'ignore', 'pipe'],
    ...(run.signal ? { signal: run.signal } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new BatonError(
          missing ? 'BACKUP_TOOL_MISSING' : 'BACKUP_TOOL_FAILED',
          missing ? `${command} is not installed or not on PATH` : `${command} failed to start: ${error.message}`,
          {
            cause: error,
            hint: missing ? `install the client tools (e.g. apt-get install postgresql-client / mariadb-client)` : undefined,
          },
        ),
      );
    });
    child.once('close', (code) => resolve(code));
  });
  const pipes: Promise<void>[] = [];
  if (run.stdin && child.stdin) pipes.push(pipeline(run.stdin, child.stdin).catch(() => undefined));
  if (run.stdout && child.stdout) pipes.push(pipeline(child.stdout, run.stdout));
  const [code] = await Promise.all([exited, ...pipes]);
  return { code: code ?? null, stderr: redactSecrets(stderr, run.secrets ?? []) };
}
