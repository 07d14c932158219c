import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';

export interface ProcessExit {
  exitCode: number;
  signal?: string;
  finishedAt: number;
}

/** A running container process, in its own process group so its children share its fate. */
export interface ContainerProcess {
  pid: number;
  startedAt: number;
  /** Resolves once the main process has exited and its group has been killed. */
  exited: Promise<ProcessExit>;
  /**
   * SIGKILL goes to the whole process group (a container's processes die together); other
   * signals go to the main process only, as a container runtime signals PID 1 — so a shell
   * wrapper that does not forward SIGTERM behaves here as it does in a real pod.
   */
  signal(sig: NodeJS.Signals): void;
}

export type StartResult = { kind: 'started'; process: ContainerProcess } | { kind: 'failed'; message: string };

export interface StartOptions {
  file: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  onOutput(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  now?: () => number;
}

/** Sends a signal to a process group, ignoring "no such process". */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Starts argv (argv[0] already resolved to `file`) detached in a new process group. When the main
 * process exits the rest of the group is SIGKILLed, as when a container's PID 1 dies.
 */
export function startContainerProcess(o: StartOptions): Promise<StartResult> {
  const now = o.now ?? Date.now;
  try {
    if (!statSync(o.cwd).isDirectory())
      return Promise.resolve({ kind: 'failed', message: `chdir to cwd ("${o.cwd}") set in config.json failed: not a directory` });
  } catch {
    return Promise.resolve({ kind: 'failed', message: `chdir to cwd ("${o.cwd}") set in config.json failed: no such file or directory` });
  }
  return new Promise((resolve) => {
    const child = spawn(o.file, o.argv.slice(1), {
      argv0: o.argv[0],
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => o.onOutput('stdout', c));
    child.stderr.on('data', (c: Buffer) => o.onOutput('stderr', c));
    child.once('error', (e) => resolve({ kind: 'failed', message: `exec: "${o.argv[0]}": ${e.message}` }));
    child.once('spawn', () => {
      const pid = child.pid!;
      const exited = new Promise<ProcessExit>((done) => {
        child.once('exit', (code, sig) => {
          const finishedAt = now();
          signalGroup(pid, 'SIGKILL');
          const signum = sig ? ((constants.signals as Record<string, number>)[sig] ?? 9) : 0;
          // Give the pipes a moment to drain the last output, without waiting on stragglers forever.
          const t = setTimeout(() => finish(), 500);
          let finished = false;
          const finish = (): void => {
            if (finished) return;
            finished = true;
            clearTimeout(t);
            done(sig ? { exitCode: 128 + signum, signal: sig, finishedAt } : { exitCode: code ?? 0, finishedAt });
          };
          child.once('close', finish);
        });
      });
      const signal = (s: NodeJS.Signals): void => {
        if (s === 'SIGKILL') return signalGroup(pid, s);
        try {
          process.kill(pid, s);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      };
      resolve({ kind: 'started', process: { pid, startedAt: now(), exited, signal } });
    });
  });
}
